"""The registry of notification kinds. Each app registers its kinds in AppConfig.ready()."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

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


class Text:
    """A notification's words as their English msgid and the values that fill it in, so that each
    reader gets them in the language they read in, when they read them (not the one active when the
    notification was written). The caller marks the msgid with gettext_noop so makemessages finds it."""

    def __init__(self, msgid: str, /, **params):
        self.msgid = msgid
        self.params = {key: _storable(value) for key, value in params.items()}

    def render(self) -> str:
        return render(self.msgid, self.params, self.msgid)


def translated(label) -> dict:
    """A value that is itself interface text (a lazily translated label such as a room kind's): stored
    as its msgid and translated with the rest. Its msgid is what it reads with translation off."""
    with translation.override(None):
        return {"msgid": str(label)}


# A value typed by a person (a reason, a title) is cut where the old text column was: 300 characters.
MAX_VALUE_CHARS = 300


def _storable(value):
    if isinstance(value, dict) or isinstance(value, int | float):
        return value
    return str(value)[:MAX_VALUE_CHARS]


def render(template: str, params: dict, fallback: str) -> str:
    """The text of a stored notification in the active language. Rows without a template (written
    before templates were kept) and templates whose translation no longer fits their values show the
    text stored when they were written."""
    if not template:
        return fallback
    values = {
        key: gettext(value["msgid"]) if isinstance(value, dict) and "msgid" in value else value
        for key, value in params.items()
    }
    try:
        return gettext(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback
