"""Chat rules: who may join or post, storing messages before broadcasting them, edits, reports, markers."""

import json
import logging
import math
import time
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from community import chat_presence, chat_unread, permissions
from community.chat_models import ChatSettings, Message, MessageReport, ReadMarker, Room
from community.models import ModerationAction
from community.selectors import list_mentioned_users
from content.selectors import store_ids_served_by
from portal.errors import PortalError, transient
from portal.models import User
from portal.notifications import Text, translated
from portal.rooms import get_room_kind, may_join_object_room
from portal.sanitize import render_chat_text
from portal.services import notify

log = logging.getLogger(__name__)

MAX_LENGTH = 2000
# A token bucket per author: a burst of RATE_BURST messages, then RATE_PER_SECOND. Honest bursts (fast
# typing, a queue resent after a reconnect) pass; a flood is held to the refill rate.
RATE_BURST = 20
RATE_PER_SECOND = 2
DIRECT_ROOMS_PER_HOUR = 10
# A burst of direct messages or mentions in one room is one e-mail to someone away, at most this often.
NOTIFY_EMAIL_QUIET_SECONDS = 600
EDIT_WINDOW = timedelta(minutes=10)
LOUNGE_SLUG = "members"
PROVIDERS_SLUG = "providers"


class ChatError(PortalError):
    def __init__(self, code: str, retry_after: float = 0):
        super().__init__(code)
        self.retry_after = retry_after


def room_group(room_id: int) -> str:
    return f"chat.{room_id}"


def serves_store(user, store_id: int) -> bool:
    """That store's own staff and its practitioners answer its customer-service rooms."""
    return store_id in store_ids_served_by(user)


def can_join_room(user, room: Room) -> bool:
    """Lounge: signed-in people; providers' lounge: providers and staff; others: their participants."""
    if not user.is_authenticated or not user.is_active:
        return False
    if room.kind == Room.Kind.LOUNGE:
        return True
    if room.kind == Room.Kind.PROVIDERS:
        return user.is_provider or user.is_store_staff or user.is_moderator or user.is_staff
    if room.kind == Room.Kind.SERVICE:
        return user.pk == room.member_id or serves_store(user, room.store_id)
    if room.kind == Room.Kind.DIRECT:
        return user.pk in (room.member_id, room.peer_id)
    # Event rooms and later kinds: the owning app's rule (events registers "event").
    return may_join_object_room(room.kind, user, room.ref_id)


def can_post_in_room(user, room: Room) -> bool:
    """Suspended people may read what they can join, never write."""
    return can_join_room(user, room) and not user.is_suspended


def message_frame(message: Message, *, staff: bool) -> dict:
    """The one JSON shape of a message for sockets and history (author preloaded by the caller)."""
    deleted = message.deleted_at is not None
    return {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "author": message.author.name,
        "author_id": message.author_id,
        "staff": staff,
        "tier": message.author.provider_tier,
        "tier_label": str(message.author.get_provider_tier_display()),
        "html": "" if deleted else render_chat_text(message.body),
        "body": "" if deleted else message.body,  # as written, for its author's inline edit
        "created": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": deleted,
    }


def answered_by_store(message: Message, room: Room) -> bool:
    """In a customer-service room everyone but the member is the store's staff or practitioner (no one
    else may join), so the member sees the store answering without another query."""
    return room.kind == Room.Kind.SERVICE and message.author_id != room.member_id


def _live_frame(message: Message) -> dict:
    return message_frame(message, staff=answered_by_store(message, message.room))


def _broadcast(room_id: int, kind: str, frame: dict) -> None:
    # Serialised once here; every consumer forwards the same text.
    text = json.dumps(frame)
    event = {"type": kind, "seq": frame.get("seq", 0), "frame": text}
    layer = get_channel_layer()

    def announce():
        try:
            async_to_sync(layer.group_send)(room_group(room_id), event)
        except Exception as exc:
            if not transient(exc):
                raise
            # The message is stored whatever happens to its announcement (Redis away): its sender is
            # still acknowledged, and the hubs send it from the database when they heal or when a
            # heartbeat shows the room ahead of them (make chaos: a raising announcement closed the
            # sender's socket and stalled chat for seconds).
            log.warning("chat %s for room %s not announced: %r", kind, room_id, exc)

    transaction.on_commit(announce)


def _text(value: str | None) -> str:
    # Forms refuse NUL; the socket has no form, and PostgreSQL cannot store it (the save would raise).
    return (value or "").replace("\x00", "")


def _rate_keys(user_id: int, name: str, seconds: int) -> tuple[str, str]:
    """The window's start key, and the key counting that window's actions."""
    start_key = f"{name}-start:{user_id}"
    start = cache.get_or_set(start_key, f"{timezone.now().timestamp():.3f}", seconds)
    return start_key, f"{name}:{user_id}:{start}"


def _within_rate(user_id: int, *, name: str, count: int, seconds: int) -> bool:
    """Counts one more action; False past `count` in the window."""
    # The window starts at a user's first action and lives in the shared cache, so it holds across
    # processes with Redis. Each window counts under its own key, kept twice as long as the window:
    # Django's Redis incr checks that the key exists and then INCRs, and a key that expired in between
    # came back from INCR with no expiry, muting its author for good (found by make chaos under load).
    # Now such a key belongs to a window nobody counts in any more.
    _start_key, key = _rate_keys(user_id, name, seconds)
    cache.add(key, 0, seconds * 2)
    try:
        counted = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds * 2)
        counted = 1
    return counted <= count


LOCK_TRIES = 40
LOCK_PAUSE = 0.005


def _take_token(user_id: int, *, name: str, burst: int, per_second: float) -> float:
    """Takes one token from the author's bucket: 0 when granted, else the seconds until one is free.

    Stored as the bucket's "theoretical arrival time" (GCRA): the moment the bucket would be full again,
    one float in the shared cache, so it holds across processes (Redis) and within one (locmem). Its
    read-modify-write runs under a short cache lock (`add` is atomic), so two sockets of one author
    sending at once cannot both spend the same token. A lock not had within ~0.2 s (its holder died; it
    expires in a second) answers "wait" rather than skipping the rule. With Redis down every cache call
    misses, the bucket reads full and sending goes on (see portal.caching.redis)."""
    key, lock = f"{name}:{user_id}", f"{name}-lock:{user_id}"
    interval = 1 / per_second
    for _attempt in range(LOCK_TRIES):
        if cache.add(lock, 1, 1):
            break
        time.sleep(LOCK_PAUSE)
    else:
        return interval
    try:
        now = time.time()
        full_at = max(cache.get(key, now), now)
        wait = full_at - now - (burst - 1) * interval
        if wait > 0:
            return wait
        cache.set(key, full_at + interval, int(burst * interval) + 2)
        return 0
    finally:
        cache.delete(lock)


def _check_rate(user_id: int) -> None:
    wait = _take_token(user_id, name="chat-bucket", burst=RATE_BURST, per_second=RATE_PER_SECOND)
    if wait:
        # Rounded up to a tenth: a client that waits exactly this long finds a token.
        raise ChatError("rate_limited", retry_after=math.ceil(wait * 10) / 10)


def post_message(*, author, room: Room, body: str, client_id: str) -> tuple[Message, bool]:
    """Store then broadcast; a repeated client_id returns the stored message; rate- and length-limited."""
    body = _text(body).strip()
    client_id = _text(client_id).strip()[:64]
    _refresh_standing(author)
    if not can_post_in_room(author, room):
        raise ChatError("suspended" if can_join_room(author, room) else "forbidden")
    if not body:
        raise ChatError("empty")
    if len(body) > MAX_LENGTH:
        raise ChatError("too_long")
    if not client_id:
        raise ChatError("client_id_required")
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
        raise ChatError("deleted")
    if message.author_id != user.pk or user.is_suspended:
        raise ChatError("forbidden")
    if timezone.now() - message.created_at > EDIT_WINDOW:
        raise ChatError("edit_window_over")


@transaction.atomic
def edit_message(*, user, message_id: int, body: str) -> Message:
    """Authors edit their own message within 10 minutes."""
    message = Message.objects.select_for_update().select_related("room", "author").get(pk=message_id)
    _editable(message, user)
    body = _text(body).strip()
    if not body:
        raise ChatError("empty")
    if len(body) > MAX_LENGTH:
        raise ChatError("too_long")
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
        raise ChatError("forbidden")
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
        raise ChatError("forbidden")
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


def typing_allowed(*, user, room: Room) -> bool:
    """At most one typing signal per user and room every 2 seconds, across processes."""
    return not user.is_suspended and cache.add(f"chat-typing:{room.pk}:{user.pk}", 1, 2)


def ensure_lounges() -> None:
    """The two lounges always exist."""
    Room.objects.get_or_create(
        slug=LOUNGE_SLUG, defaults={"kind": Room.Kind.LOUNGE, "title": "Members' lounge"}
    )
    Room.objects.get_or_create(
        slug=PROVIDERS_SLUG, defaults={"kind": Room.Kind.PROVIDERS, "title": "Providers' lounge"}
    )


def open_service_room(*, member, store) -> Room:
    """One customer-service conversation per member and store; opening it twice returns the same room."""
    if not member.is_authenticated:
        raise ChatError("forbidden")
    if member.is_suspended:
        raise ChatError("suspended")
    room, _created = Room.objects.get_or_create(
        kind=Room.Kind.SERVICE,
        store=store,
        member=member,
        defaults={"slug": f"service-{store.pk}-{member.pk}", "title": store.title},
    )
    return room


def open_object_room(*, user, kind: str, ref_id: int) -> Room:
    """An object's room (an event's) is made when someone who may join it first opens it; one per object."""
    spec = get_room_kind(kind)
    title = spec.title(ref_id) if spec is not None else None
    if title is None or user.is_suspended or not may_join_object_room(kind, user, ref_id):
        raise ChatError("forbidden")
    room, _created = Room.objects.get_or_create(
        kind=kind, ref_id=ref_id, defaults={"slug": f"{kind}-{ref_id}", "title": title[:120]}
    )
    return room


def allows_direct(user) -> bool:
    return ChatSettings.objects.filter(user=user).values_list("allow_direct", flat=True).first() in (
        None,
        True,
    )


def open_direct_room(*, user, other) -> Room:
    """Direct messages between two people when the other one is active and allows them (or either is
    a provider); at most DIRECT_ROOMS_PER_HOUR new conversations an hour per person, so ids cannot be
    walked to reach everyone."""
    if user.is_suspended:
        raise ChatError("suspended")
    if other is not None and other.pk == user.pk:
        raise ChatError("forbidden")
    reachable = other is not None and other.is_active
    if reachable:
        low, high = sorted([user.pk, other.pk])
        existing = Room.objects.filter(kind=Room.Kind.DIRECT, member_id=low, peer_id=high).first()
        if existing is not None:
            return existing
    if not _within_rate(user.pk, name="chat-direct", count=DIRECT_ROOMS_PER_HOUR, seconds=3600):
        raise ChatError("direct_rate_limited")
    # One answer for no such person, a closed account and one who takes no direct messages: a button
    # only ever showed a person, and none of this is the asker's to learn.
    if not reachable or not (allows_direct(other) or user.is_provider or other.is_provider):
        raise ChatError("direct_not_allowed")
    room, _created = Room.objects.get_or_create(
        kind=Room.Kind.DIRECT, member_id=low, peer_id=high, defaults={"slug": f"dm-{low}-{high}"}
    )
    return room


def set_allow_direct(*, user, allow: bool) -> None:
    ChatSettings.objects.update_or_create(user=user, defaults={"allow_direct": allow})
