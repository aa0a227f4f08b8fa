"""Rules that change portal state: notifications, provider verification, profile."""

import logging
import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal import notifications, presence, roles
from portal.caching import users
from portal.errors import ApplicationCode, ApplicationError
from portal.models import Notification, NotificationPreference, ProviderApplication, User
from portal.tasks import send_email
from portal.websocket import (
    ACCOUNT_CHANGED,
    SESSION_ENDED,
    SOCKET_SESSION_KEY,
    session_group,
    user_group,
)

log = logging.getLogger(__name__)


def notification_group(user_id: int) -> str:
    return f"notifications.{user_id}"


# Why a user's sockets end, and the close code their pages get (portal.websocket).
SOCKET_END_CODES = {
    "signed_out": SESSION_ENDED,
    "password_changed": SESSION_ENDED,
    "deactivated": SESSION_ENDED,
    "suspended": ACCOUNT_CHANGED,
}


def _send_session_end(group: str, reason: str, keep: str | None = None) -> None:
    try:
        async_to_sync(get_channel_layer().group_send)(
            group, {"type": "session.end", "code": SOCKET_END_CODES[reason], "reason": reason,
                    "keep": keep}
        )
    except Exception:
        # The change itself stands (the session is gone, the password changed); the sockets then
        # end at their next reconnect or page load. Failing the logout would help nobody.
        log.warning("ending sockets (%s) failed", reason, exc_info=True)


def end_user_sockets(user: User, *, reason: str, keep_session=None) -> None:
    """Close every open socket of the user (chat, notifications, topics, events) once the current
    transaction commits; `keep_session`, the session that made the change, keeps its own."""
    keep = session_group(keep_session)
    transaction.on_commit(lambda: _send_session_end(user_group(user.pk), reason, keep))


def end_session_sockets(session, *, reason: str) -> None:
    """Close the sockets of one browser session (logout ends only the session that logged out)."""
    group = session_group(session)
    if group is not None:
        transaction.on_commit(lambda: _send_session_end(group, reason))


def mark_socket_session(session) -> None:
    """Give a session signing in its socket mark (see portal.websocket.SOCKET_SESSION_KEY). A
    session signing in again as the same user keeps its mark, so its open sockets stay covered;
    another user's login flushes the session first, mark and all."""
    if SOCKET_SESSION_KEY not in session:
        session[SOCKET_SESSION_KEY] = secrets.token_urlsafe(24)


def _count_unread(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_count(user: User) -> int:
    """The bell's count, on every signed-in page: cached until the user's notifications change."""
    return users.unread_count(user, lambda: _count_unread(user))


def _push(user_id: int, payload: dict) -> None:
    layer = get_channel_layer()
    try:
        async_to_sync(layer.group_send)(
            notification_group(user_id), {"type": "notify.new", "payload": payload}
        )
    except Exception:
        # The notification is stored; a live push is a bonus, and the bell catches up on load.
        log.warning("live notification push failed", exc_info=True)


def push_live(user_id: int, frame: dict) -> None:
    """Send one frame to every open tab of a user (their notifications socket), once the
    transaction commits. Live only: a page loaded later reads the same figures from the server."""
    layer = get_channel_layer()
    event = {"type": "notify.frame", "frame": frame}

    def send():
        try:
            async_to_sync(layer.group_send)(notification_group(user_id), event)
        except Exception:
            log.warning("live push failed", exc_info=True)

    transaction.on_commit(send)


def _email_due(user: User, kind: notifications.Kind, thread: str) -> bool:
    """A conversation e-mails only someone with no page open, once per quiet period and thread (a
    burst of messages is one e-mail). The quiet period is kept in the shared cache, across processes."""
    if not kind.conversation:
        return True
    if presence.is_online(user.pk):
        return False
    return cache.add(f"notify-email:{kind.key}:{user.pk}:{thread}", 1, kind.email_quiet_seconds)


def keep_language_choice(*, user: User, code: str | None) -> None:
    """A member with no saved language keeps the one they chose with the header switch before signing
    in; a saved language is changed only by the switch itself (portal.views.set_language)."""
    if user.language or code not in dict(settings.LANGUAGES) or not translation.check_for_language(code):
        return
    user.language = code
    user.save(update_fields=["language"])


def saved_language(user: User) -> str:
    """The language a user's e-mails and stored texts are written in: their saved one, else the site's."""
    return user.language or settings.LANGUAGE_CODE


@transaction.atomic
def notify(user: User, kind: str, message: str | notifications.Text, url: str = "", *,
           thread: str = "") -> Notification | None:
    """Store an in-app notification and e-mail it, as the user's preference for the kind says.
    A `notifications.Text` is kept as template and values, shown in each reader's language; the
    e-mail goes in the user's saved language. `thread` names the conversation a conversation kind
    coalesces its e-mails by."""
    spec = notifications.get_kind(kind)
    pref = (
        NotificationPreference.objects.filter(user=user, kind=kind)
        .values_list("channel", flat=True)
        .first()
    ) or spec.default
    if pref not in spec.channels:
        pref = notifications.IN_APP  # a conversation cannot be turned off, only kept off e-mail
    if pref == notifications.OFF:
        return None
    language = saved_language(user)
    if isinstance(message, notifications.Text):
        template, params = message.msgid, message.params
        with translation.override(language):
            message = message.render()
    else:
        template, params = "", {}
    note = Notification.objects.create(
        user=user, kind=kind, message=message[:300], template=template, params=params, url=url
    )
    payload = {
        "id": note.pk,
        "kind": kind,
        # Each socket renders the text in its own language (portal.consumers).
        "template": template,
        "params": params,
        "message": note.message,
        "url": url,
        # Counted, not cached: the cache must not hold a count this transaction may roll back.
        "unread": _count_unread(user),
    }
    transaction.on_commit(lambda: _push(user.pk, payload))
    if pref == notifications.EMAIL and user.email and _email_due(user, spec, thread):
        link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        body = f"{message}\n\n{link}\n" if link else f"{message}\n"
        # One line: a message may quote text typed into a textarea, and mail refuses a Subject with a
        # line break (the whole e-mail would be lost).
        headline = " ".join(message.split())[:80]
        with translation.override(language):
            subject = _("[Tend] %(message)s") % {"message": headline}
        transaction.on_commit(
            lambda: send_email.enqueue(to=user.email, subject=subject, body=body)
        )
    return note


def mark_notification_read(*, user: User, notification_id: int) -> None:
    """Only the owner's own notification is touched; marking twice keeps the first time."""
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_notifications_read(*, user: User) -> int:
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return marked


def set_notification_preference(*, user: User, kind: str, channel: str) -> None:
    NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channel": channel}
    )


@transaction.atomic
def apply_as_provider(*, user: User, specialties: str, years_experience: int, home_store,
                      certificate) -> ProviderApplication:
    """One pending application at a time; a verified provider need not apply."""
    User.objects.select_for_update().get(pk=user.pk)
    if user.is_provider:
        raise ApplicationError(ApplicationCode.ALREADY_PROVIDER)
    if ProviderApplication.objects.filter(
        user=user, status=ProviderApplication.Status.PENDING
    ).exists():
        raise ApplicationError(ApplicationCode.ALREADY_PENDING)
    return ProviderApplication.objects.create(
        user=user,
        specialties=specialties,
        years_experience=years_experience,
        home_store=home_store,
        certificate=certificate,
    )


def _decide(application_id: int, moderator: User) -> ProviderApplication:
    if not moderator.is_moderator:
        raise ApplicationError(ApplicationCode.FORBIDDEN)
    application = ProviderApplication.objects.select_for_update().get(pk=application_id)
    if application.status != ProviderApplication.Status.PENDING:
        raise ApplicationError(ApplicationCode.ALREADY_DECIDED)
    application.reviewed_at = timezone.now()
    application.reviewed_by = moderator
    return application


@transaction.atomic
def approve_provider_application(*, application_id: int, moderator: User) -> ProviderApplication:
    """Approval adds the providers group and tells the member."""
    application = _decide(application_id, moderator)
    application.status = ProviderApplication.Status.APPROVED
    application.save()
    group, _created = Group.objects.get_or_create(name=roles.PROVIDERS)
    application.user.groups.add(group)
    notify(application.user, "provider_application", notifications.Text(
        gettext_noop("Your provider application was approved. Welcome to the providers' community!")),
        "/me/")
    return application


@transaction.atomic
def reject_provider_application(*, application_id: int, moderator: User,
                                reason: str) -> ProviderApplication:
    """A rejection always carries a reason the member can read."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(ApplicationCode.REASON_REQUIRED)
    application = _decide(application_id, moderator)
    application.status = ProviderApplication.Status.REJECTED
    application.reason = reason
    application.save()
    notify(application.user, "provider_application", notifications.Text(
        gettext_noop("Your provider application was not approved: %(reason)s"), reason=reason), "/me/")
    return application
