"""Messages: stored before they are broadcast, then the people they concern are told; edits, deletes,
reports and their moderation, read markers."""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from community import permissions
from community.chat import presence as chat_presence
from community.chat import unread as chat_unread
from community.chat.models import ChatSettings, Message, MessageReport, ReadMarker, Room
from community.chat.services.access import _broadcast, _live_frame, can_join_room, can_post_in_room
from community.chat.services.limits import _check_rate
from community.errors import ChatCode, ChatError
from community.models import ModerationAction
from community.selectors import list_mentioned_users
from portal.models import User
from portal.notifications import Text, translated
from portal.services import notify

log = logging.getLogger(__name__)


MAX_LENGTH = 2000
# A burst of direct messages or mentions in one room is one e-mail to someone away, at most this often.
NOTIFY_EMAIL_QUIET_SECONDS = 600
EDIT_WINDOW = timedelta(minutes=10)


def _text(value: str | None) -> str:
    # Forms refuse NUL; the socket has no form, and PostgreSQL cannot store it (the save would raise).
    return (value or "").replace("\x00", "")


def post_message(*, author, room: Room, body: str, client_id: str) -> tuple[Message, bool]:
    """Store then broadcast; a repeated client_id returns the stored message; rate- and length-limited."""
    body = _text(body).strip()
    client_id = _text(client_id).strip()[:64]
    _refresh_standing(author)
    if not can_post_in_room(author, room):
        raise ChatError(ChatCode.SUSPENDED if can_join_room(author, room) else ChatCode.FORBIDDEN)
    if not body:
        raise ChatError(ChatCode.EMPTY)
    if len(body) > MAX_LENGTH:
        raise ChatError(ChatCode.TOO_LONG)
    if not client_id:
        raise ChatError(ChatCode.CLIENT_ID_REQUIRED)
    existing = Message.objects.filter(author=author, client_id=client_id).first()
    if existing is not None:
        return existing, False
    _check_rate(author.pk)
    try:
        with transaction.atomic():
            # The room row lock numbers messages in commit order, so a gap always means "not yet sent".
            locked = Room.objects.select_for_update().get(pk=room.pk)
            locked.last_seq += 1
            locked.save(update_fields=["last_seq"])
            message = Message.objects.create(
                room=locked, seq=locked.last_seq, author=author, client_id=client_id, body=body
            )
            _mark_read(user=author, room=locked, seq=message.seq)
            message.room, message.author = locked, author
            _broadcast(locked.pk, "chat.message", _live_frame(message))
    except IntegrityError:
        # The same client_id raced in from another connection: that one was stored.
        return Message.objects.get(author=author, client_id=client_id), False
    try:
        # After the room lock is released: telling people must not hold up the room's next message.
        _notify_peer(message, room, author)
        _notify_mentioned(message, room, author)
        _push_unread(room, author)
    except Exception:
        # The message is stored and announced; its sender must get the ack, and the peer still sees
        # it in /chat/'s unread counts.
        log.exception("chat notification for message %s failed", message.pk)
    return message, True


def _notify_peer(message: Message, room: Room, author) -> None:
    """The other person of a direct conversation hears of it once per unread run: when this message
    follows everything they had read. Not while they have the room open (they see it), and not from
    someone they no longer take direct messages from."""
    if room.kind != Room.Kind.DIRECT:
        return
    peer_id = room.peer_id if room.member_id == author.pk else room.member_id
    if peer_id in chat_presence.present_user_ids(room.pk):
        return
    peer = (
        User.objects.filter(pk=peer_id, is_active=True)
        .annotate(
            read_seq=Subquery(
                ReadMarker.objects.filter(room=room, user=OuterRef("pk")).values("last_read_seq")[:1]
            ),
            allow_direct=Subquery(
                ChatSettings.objects.filter(user=OuterRef("pk")).values("allow_direct")[:1]
            ),
        )
        .first()
    )
    if peer is None or (peer.read_seq or 0) < message.seq - 1:
        return
    # The same rule as opening the conversation (open_direct_room); the groups are read only then.
    if peer.allow_direct is False and not (author.is_provider or peer.is_provider):
        return
    text = Text(gettext_noop("%(name)s sent you a direct message"), name=author.name)
    notify(peer, "chat_direct", text, _room_url(room), thread=str(room.pk))


def _push_unread(room: Room, author) -> None:
    """The other person of a direct or service conversation sees their unread count move (see
    chat_unread for why only these rooms). Store staff answering a service room are not counted."""
    if room.kind == Room.Kind.DIRECT:
        reader_id = room.peer_id if room.member_id == author.pk else room.member_id
    elif room.kind == Room.Kind.SERVICE and room.member_id != author.pk:
        reader_id = room.member_id
    else:
        return
    chat_unread.push_unread(reader_id, room)


def _notify_mentioned(message: Message, room: Room, author) -> None:
    """An @name tells the named person, only if they may read the room: a name typed in a private
    room reaches no one outside it. In a direct conversation the peer hears of every message anyway."""
    if room.kind == Room.Kind.DIRECT or "@" not in message.body:
        return
    for user in list_mentioned_users(message.body, author_id=author.pk):
        if not can_join_room(user, room):
            continue
        text = Text(gettext_noop("%(name)s mentioned you in %(room)s"), name=author.name,
                    room=_room_name(room))
        notify(user, "chat_mention", text, _room_url(room), thread=str(room.pk))


def _room_name(room: Room) -> str | dict:
    # The lounges' stored titles are English; their kind's label is translated, for each reader.
    # Other rooms are named after their store or event.
    if room.kind in (Room.Kind.LOUNGE, Room.Kind.PROVIDERS) or not room.title:
        return translated(room.get_kind_display())
    return room.title


def _room_url(room: Room) -> str:
    return reverse("community:chat_room", kwargs={"room": room.slug})


def _refresh_standing(user) -> None:
    """A socket keeps the user it connected as: a suspension made since then holds from the next write."""
    user.refresh_from_db(fields=["suspended_until", "is_active"])


def _editable(message: Message, user) -> None:
    _refresh_standing(user)
    if message.deleted_at is not None:
        raise ChatError(ChatCode.DELETED)
    if message.author_id != user.pk or user.is_suspended:
        raise ChatError(ChatCode.FORBIDDEN)
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise ChatError(ChatCode.EDIT_WINDOW_OVER)


@transaction.atomic
def edit_message(*, user, message_id: int, body: str) -> Message:
    """Authors edit their own message within 10 minutes."""
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message_id)
    _editable(message, user)
    body = _text(body).strip()
    if not body:
        raise ChatError(ChatCode.EMPTY)
    if len(body) > MAX_LENGTH:
        raise ChatError(ChatCode.TOO_LONG)
    message.body, message.edited_at = body, timezone.now()
    message.save(update_fields=["body", "edited_at"])
    _broadcast(message.room_id, "chat.update", {**_live_frame(message), "type": "update"})
    return message


@transaction.atomic
def delete_message(*, user, message_id: int) -> Message:
    """Authors delete within 10 minutes; moderators any time. The text is kept for moderation."""
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message_id)
    if not (user.is_moderator and can_join_room(user, message.room)):
        _editable(message, user)
    if message.deleted_at is None:
        message.deleted_at = timezone.now()
        message.save(update_fields=["deleted_at"])
        _broadcast(message.room_id, "chat.update", {**_live_frame(message), "type": "update"})
    return message


def report_message(*, reporter, message_id: int, reason: str = "") -> MessageReport:
    """Anyone who can read a message may report it, once."""
    message = Message.objects.select_related("room").filter(pk=message_id).first()
    if message is None or not can_join_room(reporter, message.room):
        raise ChatError(ChatCode.FORBIDDEN)
    report, _created = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": _text(reason)[:300]}
    )
    return report


@transaction.atomic
def moderate_reported_message(*, moderator, message_id: int, delete: bool) -> Message:
    """From the moderation queue, in any room: delete a reported message or keep it; either way its
    open reports close and the audit log gets a line. Acting twice changes nothing more. A message
    no one reported is not the queue's to act on (Message.DoesNotExist): its room may be private."""
    if not permissions.is_moderator(moderator):
        raise ChatError(ChatCode.FORBIDDEN)
    message = (
        Message.objects.select_for_update()
        .filter(Exists(MessageReport.objects.filter(message=OuterRef("pk"))))
        .select_related("room", "author").get(pk=message_id)
    )
    now = timezone.now()
    if delete and message.deleted_at is None:
        message.deleted_at = now
        message.save(update_fields=["deleted_at"])
        _broadcast(message.room_id, "chat.update", {**_live_frame(message), "type": "update"})
    closed = MessageReport.objects.filter(message=message, resolved_at__isnull=True).update(resolved_at=now)
    if closed or (delete and message.deleted_at == now):
        ModerationAction.objects.create(
            moderator=moderator, target_user=message.author,
            action=(ModerationAction.Action.DELETE_MESSAGE if delete
                    else ModerationAction.Action.DISMISS_MESSAGE),
            # Which message, not what it said: the room's address and the message's number in it.
            note=f"{message.room.slug} #{message.seq}",
        )
    return message


def _mark_read(*, user, room: Room, seq: int) -> bool:
    """Whether the marker moved."""
    marker, created = ReadMarker.objects.get_or_create(
        room=room, user=user, defaults={"last_read_seq": seq}
    )
    if created:
        return True
    return marker.last_read_seq < seq and bool(
        ReadMarker.objects.filter(pk=marker.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
    )


def mark_room_read(*, user, room: Room, seq: int) -> None:
    """A read marker only moves forward, and never past the room's last message. The last message
    is read now: the socket's room was loaded when it connected, and what arrived since is read live."""
    last_seq = Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).first() or 0
    if _mark_read(user=user, room=room, seq=max(0, min(int(seq), last_seq))):
        # The reader's other tabs, /chat/ and the header follow.
        chat_unread.push_unread(user.pk, room)
