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
    # Conversations (a direct message, a mention in chat): always on the site; the preference only
    # says whether it also comes by e-mail, and the e-mail goes only to someone with no page open
    # (portal.presence), at most once per `email_quiet_seconds` for the same conversation.
    conversation: bool = False
    email_quiet_seconds: int = 0

    @property
    def channels(self) -> tuple[str, ...]:
        return (IN_APP, EMAIL) if self.conversation else (IN_APP, EMAIL, OFF)


KINDS: dict[str, Kind] = {}


def register_kind(key: str, label, default: str = IN_APP) -> None:
    KINDS[key] = Kind(key, label, default)


def register_conversation_kind(key: str, label, default: str, *, email_quiet_seconds: int) -> None:
    KINDS[key] = Kind(key, label, default, conversation=True, email_quiet_seconds=email_quiet_seconds)


def get_kind(key: str) -> Kind:
    return KINDS.get(key) or Kind(key, key, IN_APP)
