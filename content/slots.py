"""Places on content pages that other apps fill: upcoming events and busy forum topics on the home
page, a store's events and reviews, a practitioner's reviews and events, the next experience day
near the reader of a story or a tip.

An app registers `provider(request, page) -> (template_name, context) | None` in its
AppConfig.ready(); an empty slot renders nothing, so the pages work before those apps exist.
"""

from collections.abc import Callable

_SLOTS: dict[str, list[Callable]] = {}
NAMES = (
    "upcoming_events",
    "busy_topics",
    "store_events",
    "store_reviews",
    "practitioner_reviews",
    "practitioner_events",
    "story_event",
    "tip_event",
)


def register_slot(name: str, provider: Callable) -> None:
    if name not in NAMES:
        raise ValueError(f"unknown slot {name!r}")
    if provider not in _SLOTS.setdefault(name, []):
        _SLOTS[name].append(provider)


def providers(name: str) -> list[Callable]:
    return list(_SLOTS.get(name, []))
