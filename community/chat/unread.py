"""The unread chat counts the header, the tab title and /chat/ show, kept live over the notifications
socket. Only a person's own conversations (direct rooms, and the service rooms they opened) count
towards the header: lounges run all day, and pushing to every member of one on each message would
cost a query per member. A lounge's count on /chat/ still moves when its reader reads it."""

from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from community.chat.models import ReadMarker, Room
from portal.services import push_live


def _counted(user_id: int) -> Q:
    return (
        Q(kind=Room.Kind.DIRECT, member_id=user_id)
        | Q(kind=Room.Kind.DIRECT, peer_id=user_id)
        | Q(kind=Room.Kind.SERVICE, member_id=user_id)
    )


def _unread(user_id: int):
    read = ReadMarker.objects.filter(room=OuterRef("pk"), user_id=user_id).values("last_read_seq")[:1]
    return F("last_seq") - Coalesce(Subquery(read), Value(0))


def unread_total(user_id: int) -> int:
    """The header's count: one query, however many rooms."""
    counted = Room.objects.filter(_counted(user_id)).annotate(unread=_unread(user_id))
    return counted.aggregate(total=Sum("unread"))["total"] or 0


def push_unread(user_id: int, room: Room) -> None:
    """Tell every tab of one person their count for `room` and their total: one query, then one send."""
    counts = (
        Room.objects.filter(Q(pk=room.pk) | _counted(user_id))
        .annotate(unread=_unread(user_id))
        .aggregate(
            total=Sum("unread", filter=_counted(user_id)),
            room=Sum("unread", filter=Q(pk=room.pk)),
        )
    )
    push_live(user_id, {
        "type": "unread", "room": room.slug, "unread": max(0, counts["room"] or 0),
        "total": max(0, counts["total"] or 0),
    })
