"""Sockets end with their session: logins mark the session, and logouts, password changes and
deactivations close the sockets that session or user holds (portal.services.end_*_sockets).
A login also keeps the language chosen before it. Connected in PortalConfig.ready(); suspension calls
end_user_sockets from its own service."""

from django.conf import settings

from portal import services


def session_signed_in(sender, request, user, **kwargs) -> None:
    services.mark_socket_session(request.session)


def language_kept(sender, request, user, **kwargs) -> None:
    # The header switch sets a cookie before sign-in; saving it makes the member's e-mails follow it.
    if request is not None:
        services.keep_language_choice(user=user, code=request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))


def session_signed_out(sender, request, user, **kwargs) -> None:
    # Sent before the session is flushed: its mark still names its sockets.
    if user is not None:
        services.end_session_sockets(request.session, reason="signed_out")


def password_changed(sender, request, user, **kwargs) -> None:
    """Every other session is signed out by Django (the session hash no longer matches); this one
    stays signed in (ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False), and so do its sockets."""
    services.end_user_sockets(user, reason="password_changed", keep_session=request.session)


def password_reset(sender, request, user, **kwargs) -> None:
    # From an e-mailed link, maybe in another browser: no session of the user is the one acting.
    services.end_user_sockets(user, reason="password_changed")


def user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """A deactivated user (admin, or any code setting is_active False) is signed out everywhere."""
    if created or instance.is_active:
        return
    if update_fields is None or "is_active" in update_fields:
        services.end_user_sockets(instance, reason="deactivated")
