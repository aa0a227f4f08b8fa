"""Chat reads shaped for the pages and the consumer."""

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from community.chat.models import Message, MessageReport, ReadMarker, Room
from community.chat.services import answered_by_store, message_frame
from content.selectors import store_ids_served_by
from portal.rooms import registered_room_kinds

HISTORY_PAGE = 50
CATCH_UP_LIMIT = 500


def get_room(slug: str) -> Room | None:
    return Room.objects.select_related("store", "member", "peer").filter(slug=slug).first()


def room_time_zone(room: Room) -> str:
    """The zone a room's times are shown in: its store's (a customer talks to a shop in the shop's day),
    else the site's."""
    return room.store.time_zone if room.store_id else settings.TIME_ZONE


def list_rooms(user):
    """The rooms a user belongs to, each with `unread` (messages after the read marker)."""
    visible = Q(kind=Room.Kind.LOUNGE) | Q(kind=Room.Kind.DIRECT, member=user) | Q(
        kind=Room.Kind.DIRECT, peer=user
    ) | Q(kind=Room.Kind.SERVICE, member=user)
    if user.is_provider or user.is_store_staff or user.is_moderator or user.is_staff:
        visible |= Q(kind=Room.Kind.PROVIDERS)
    for kind, spec in registered_room_kinds().items():
        visible |= Q(kind=kind, ref_id__in=spec.refs(user))
    served = store_ids_served_by(user)
    if served:
        visible |= Q(kind=Room.Kind.SERVICE, store_id__in=served)
    read = ReadMarker.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")[:1]
    return (
        Room.objects.filter(visible)
        .select_related("store", "member", "peer")
        .annotate(unread=F("last_seq") - Coalesce(Subquery(read), Value(0)))
        .order_by("kind", "-last_seq", "pk")
    )


def read_seq(room: Room, user) -> int:
    """The last message this person has read in the room (0: none)."""
    return (
        ReadMarker.objects.filter(room=room, user=user).values_list("last_read_seq", flat=True).first()
        or 0
    )


def _frames(queryset) -> list[dict]:
    messages = list(queryset.select_related("author", "room"))
    return [message_frame(m, staff=answered_by_store(m, m.room)) for m in messages]


def list_recent_messages(room: Room, limit: int = HISTORY_PAGE) -> list[dict]:
    recent = list(Message.objects.filter(room=room).order_by("-seq").values_list("pk", flat=True)[:limit])
    return _frames(Message.objects.filter(pk__in=recent).order_by("seq"))


def list_messages_before(room: Room, before_seq: int, limit: int = HISTORY_PAGE) -> list[dict]:
    older = list(
        Message.objects.filter(room=room, seq__lt=before_seq).order_by("-seq").values_list(
            "pk", flat=True
        )[:limit]
    )
    return _frames(Message.objects.filter(pk__in=older).order_by("seq"))


def list_messages_after(room: Room, after_seq: int, upto_seq: int | None = None) -> list[dict]:
    messages = Message.objects.filter(room=room, seq__gt=after_seq).order_by("seq")
    if upto_seq is not None:
        messages = messages.filter(seq__lte=upto_seq)
    return _frames(messages[:CATCH_UP_LIMIT])


def count_messages_after(room: Room, after_seq: int) -> int:
    return Message.objects.filter(room=room, seq__gt=after_seq).count()


def room_title(room: Room, user) -> str:
    """What a room is called for this user (related people and store preloaded by get_room/list_rooms)."""
    if room.kind == Room.Kind.DIRECT:
        other = room.peer if room.member_id == user.pk else room.member
        return other.name
    if room.kind == Room.Kind.SERVICE:
        if room.member_id == user.pk:
            return room.store.title
        return f"{room.store.title} · {room.member.name}"
    if room.ref_id is not None:
        return room.title  # an object's room is named after it (an event's title)
    return str(room.get_kind_display())


# Messages shown either side of a reported chat message, and how many reported messages the queue
# shows at once (the oldest first): the context's read names each one's room and seq range.
CHAT_CONTEXT = 2
CHAT_QUEUE_LIMIT = 50


def list_reported_messages() -> tuple[list[Message], bool]:
    """The first CHAT_QUEUE_LIMIT chat messages with an open report, oldest first, and whether
    there are more. Each comes with its open reports (`open_reports`, reporters joined) and up to
    CHAT_CONTEXT messages either side in its room (`before`, `after`): what a moderator needs to
    judge it, and nothing else of a conversation, which may be private (direct and
    customer-service rooms). Three queries whatever the count."""
    open_reports = MessageReport.objects.filter(resolved_at__isnull=True)
    # Exists, not a filter across the relation: that is a LEFT JOIN, which also matched every
    # message never reported.
    messages = list(
        Message.objects.filter(Exists(open_reports.filter(message=OuterRef("pk"))))
        .select_related("author", "room")
        .prefetch_related(Prefetch(
            "reports", open_reports.select_related("reporter").order_by("created_at", "pk"),
            to_attr="open_reports"))
        .order_by("pk")[:CHAT_QUEUE_LIMIT + 1]
    )
    more = len(messages) > CHAT_QUEUE_LIMIT
    messages = messages[:CHAT_QUEUE_LIMIT]
    if not messages:
        return [], False
    near = Q()
    for message in messages:
        near |= Q(room=message.room_id, seq__gte=message.seq - CHAT_CONTEXT,
                  seq__lte=message.seq + CHAT_CONTEXT)
    by_room = {}
    for line in Message.objects.filter(near).select_related("author").order_by("room", "seq"):
        by_room.setdefault(line.room_id, []).append(line)
    for message in messages:
        lines = by_room.get(message.room_id, [])
        message.before = [m for m in lines if message.seq - CHAT_CONTEXT <= m.seq < message.seq]
        message.after = [m for m in lines if message.seq < m.seq <= message.seq + CHAT_CONTEXT]
    return messages, more
