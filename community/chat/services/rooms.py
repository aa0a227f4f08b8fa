"""Opening rooms: the two lounges, a member's customer-service room with a store, an object's room (an
event's), direct conversations and whether a person takes them."""

from community.chat.models import ChatSettings, Room
from community.chat.services.limits import _within_rate
from community.errors import ChatCode, ChatError
from portal.rooms import get_room_kind, may_join_object_room

DIRECT_ROOMS_PER_HOUR = 10
LOUNGE_SLUG = "members"
PROVIDERS_SLUG = "providers"


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
        raise ChatError(ChatCode.FORBIDDEN)
    if member.is_suspended:
        raise ChatError(ChatCode.SUSPENDED)
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
        raise ChatError(ChatCode.FORBIDDEN)
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
        raise ChatError(ChatCode.SUSPENDED)
    if other is not None and other.pk == user.pk:
        raise ChatError(ChatCode.FORBIDDEN)
    reachable = other is not None and other.is_active
    if reachable:
        low, high = sorted([user.pk, other.pk])
        existing = Room.objects.filter(kind=Room.Kind.DIRECT, member_id=low, peer_id=high).first()
        if existing is not None:
            return existing
    if not _within_rate(user.pk, name="chat-direct", count=DIRECT_ROOMS_PER_HOUR, seconds=3600):
        raise ChatError(ChatCode.DIRECT_RATE_LIMITED)
    # One answer for no such person, a closed account and one who takes no direct messages: a button
    # only ever showed a person, and none of this is the asker's to learn.
    if not reachable or not (allows_direct(other) or user.is_provider or other.is_provider):
        raise ChatError(ChatCode.DIRECT_NOT_ALLOWED)
    room, _created = Room.objects.get_or_create(
        kind=Room.Kind.DIRECT, member_id=low, peer_id=high, defaults={"slug": f"dm-{low}-{high}"}
    )
    return room


def set_allow_direct(*, user, allow: bool) -> None:
    ChatSettings.objects.update_or_create(user=user, defaults={"allow_direct": allow})
