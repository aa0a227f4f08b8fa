"""Chat rooms that belong to another app's object (an event's room): the owning app says who may join,
registering a rule from its AppConfig.ready(), so community never imports that app."""

from collections.abc import Callable

_rules: dict[str, Callable[[object, int], bool]] = {}


def register_room_access(kind: str, rule: Callable[[object, int], bool]) -> None:
    """`rule(user, ref_id)`: may this signed-in person join the room of object `ref_id`?"""
    _rules[kind] = rule


def may_join_object_room(kind: str, user, ref_id: int | None) -> bool:
    """Without a registered rule (the owning app not installed) nobody may join."""
    rule = _rules.get(kind)
    return rule is not None and ref_id is not None and bool(rule(user, ref_id))
