from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from allauth.account import signals as account_signals
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.models.signals import post_save
        from django.urls import register_converter

        from portal import exports, ids, notifications, receivers, selectors  # noqa: F401 - selectors declares cached values
        from portal.caching import pages, users
        from portal.models import User
        from portal.private_media import register_private_folder

        # Before any URL pattern is built (URL confs and socket routes are imported after setup).
        register_converter(ids.IdConverter, "id")
        register_converter(ids.UnicodeSlugConverter, "uslug")
        exports.take_over_wagtail_exports()

        # What drops the page cache and the signed-in visitor's kept rows (portal.caching).
        pages.connect()
        users.connect()

        # Sockets end with their session (portal.receivers).
        user_logged_in.connect(receivers.session_signed_in, dispatch_uid="socket-session-in")
        user_logged_out.connect(receivers.session_signed_out, dispatch_uid="socket-session-out")
        user_logged_in.connect(receivers.language_kept, dispatch_uid="language-kept")
        account_signals.password_changed.connect(receivers.password_changed, dispatch_uid="socket-pw-change")
        account_signals.password_set.connect(receivers.password_changed, dispatch_uid="socket-pw-set")
        account_signals.password_reset.connect(receivers.password_reset, dispatch_uid="socket-pw-reset")
        post_save.connect(receivers.user_saved, sender=User, dispatch_uid="socket-user-saved")

        notifications.register_kind(
            "provider_application", _("Provider application decisions"), notifications.EMAIL
        )
        notifications.register_kind("account", _("Account and security"), notifications.EMAIL)
        register_private_folder("certificates", _may_see_certificate)


def _may_see_certificate(user, name) -> bool:
    """A certificate is for its applicant and the moderators who decide the application."""
    from portal.models import ProviderApplication

    if not user.is_authenticated:
        return False
    applications = ProviderApplication.objects.filter(certificate=name)
    return (applications if user.is_moderator else applications.filter(user=user)).exists()

