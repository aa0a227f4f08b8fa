"""Who may join, post in and type in a room, and how a message is framed and announced to the room's
sockets (after commit; an announcement that fails leaves the message stored)."""

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction

from community.chat.models import Message, Room
from content.selectors import store_ids_served_by
from portal.errors import transient
from portal.rooms import may_join_object_room
from portal.sanitize import render_chat_text

log = logging.getLogger(__name__)


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


def typing_allowed(*, user, room: Room) -> bool:
    """At most one typing signal per user and room every 2 seconds, across processes."""
    return not user.is_suspended and cache.add(f"chat-typing:{room.pk}:{user.pk}", 1, 2)
