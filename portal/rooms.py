"""Chat rooms that belong to another app's object (an event's room): the owning app says who may join,
what the room is called and which rooms a person belongs to, registering a kind from its
AppConfig.ready(), so community never imports that app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class ObjectRoomKind:
    # may_join(user, ref_id): may this signed-in person join the room of object `ref_id`?
    may_join: Callable[[object, int], bool]
    # title(ref_id): the room's name, or None when the object does not exist (no room is opened).
    title: Callable[[int], str | None]
    # refs(user): ids of the objects whose rooms the person belongs to (a values queryset, used as a
    # subquery by the chat list, so listing costs no extra query).
    refs: Callable[[object], QuerySet]


_kinds: dict[str, ObjectRoomKind] = {}


def register_room_kind(kind: str, spec: ObjectRoomKind) -> None:
    _kinds[kind] = spec


def get_room_kind(kind: str) -> ObjectRoomKind | None:
    """Without a registered kind (the owning app not installed) nobody may join or open such a room."""
    return _kinds.get(kind)


def may_join_object_room(kind: str, user, ref_id: int | None) -> bool:
    spec = _kinds.get(kind)
    return spec is not None and ref_id is not None and bool(spec.may_join(user, ref_id))


def registered_room_kinds() -> dict[str, ObjectRoomKind]:
    return dict(_kinds)


# Counts shown on every page and kept live over the notifications socket (the chat's unread total):
# each app registers a function user -> frame (None: nothing to show), sent when the socket opens.
# Not rendered into every page, which would cost every page a query.
_live_counts: list[Callable[[object], dict | None]] = []


def register_live_count(frame: Callable[[object], dict | None]) -> None:
    _live_counts.append(frame)


def live_counts(user) -> list[dict]:
    return [f for f in (frame(user) for frame in _live_counts) if f is not None]
