"""The registry of notification kinds. Each app registers its kinds in AppConfig.ready()."""

from dataclasses import dataclass

from django.utils.functional import Promise

IN_APP = "in_app"
EMAIL = "email"
OFF = "off"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    default: str


KINDS: dict[str, Kind] = {}


def register_kind(key: str, label, default: str = IN_APP) -> None:
    KINDS[key] = Kind(key, label, default)


def get_kind(key: str) -> Kind:
    return KINDS.get(key) or Kind(key, key, IN_APP)
