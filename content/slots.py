"""Home page slots that other apps fill (upcoming events, busy forum topics).

An app registers `provider(request) -> (template_name, context) | None` in its AppConfig.ready();
an empty slot renders nothing, so the home page works before those apps exist.
"""

from collections.abc import Callable

_SLOTS: dict[str, list[Callable]] = {}
NAMES = ("upcoming_events", "busy_topics")


def register_slot(name: str, provider: Callable) -> None:
    if name not in NAMES:
        raise ValueError(f"unknown home slot {name!r}")
    if provider not in _SLOTS.setdefault(name, []):
        _SLOTS[name].append(provider)


def providers(name: str) -> list[Callable]:
    return list(_SLOTS.get(name, []))
