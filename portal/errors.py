"""The one error vocabulary: every rule that refuses raises a PortalError whose `code` is a member of an
ErrorCode enum. The member's value is the stable code (tests, WebSocket frames and scripts read it); its
label is the text users read, so a code and its words live side by side. Views and consumers turn an
error into words with `error_message` (or a WebSocket frame with `error_frame`), never with a dict."""

from django.db import DatabaseError, DataError, IntegrityError, models
from django.utils.translation import gettext_lazy as _
from redis.exceptions import RedisError


class ErrorCode(models.TextChoices):
    """Codes of one kind of error: `NAME = "code", gettext_lazy("text")`. A text that names a value
    (a wait, a time) has %(name)s placeholders, filled from the error's `text_params()`; a text
    that counts is an ngettext_lazy keyed on its number's name."""


class PortalError(Exception):
    """A rule refused the action; `code` is a member of the class's `codes` enum."""

    codes: type[ErrorCode] = ErrorCode

    def __init__(self, code: ErrorCode):
        if not isinstance(code, self.codes):
            raise TypeError(f"{type(self).__name__} takes a {self.codes.__name__}, not {code!r}")
        super().__init__(code.value)
        self.code = code

    def text_params(self) -> dict:
        """Values for the placeholders of the code's text."""
        return {}


def error_message(error: PortalError | ErrorCode) -> str:
    """What the user reads for a refusal, in the active language."""
    if isinstance(error, PortalError):
        code, params = error.code, error.text_params()
    else:
        code, params = error, {}
    return str(code.label % params) if params else str(code.label)


def error_frame(error: PortalError | ErrorCode, **extra) -> dict:
    """The WebSocket frame that tells a page its request was refused: the code, its text, and what the
    socket adds (a client id, a wait, a limit)."""
    code = error.code if isinstance(error, PortalError) else error
    return {"type": "error", "code": code.value, "message": error_message(error), **extra}


class ApplicationCode(ErrorCode):
    ALREADY_PROVIDER = "already_provider", _("You are already a verified provider.")
    ALREADY_PENDING = "already_pending", _("Your application is already waiting for review.")
    REASON_REQUIRED = "reason_required", _("Give the member a reason when you reject an application.")
    ALREADY_DECIDED = "already_decided", _("This application was already decided.")
    FORBIDDEN = "forbidden", _("Only moderators can decide provider applications.")


class ApplicationError(PortalError):
    codes = ApplicationCode


class FrameCode(ErrorCode):
    """What every JSON socket answers to a frame it cannot read (portal.websocket)."""

    BAD_REQUEST = "bad_request", _("The server did not understand that.")
    TOO_LONG = "too_long", _("That was too large to send: at most 64 KB at a time.")


def transient(exc: BaseException) -> bool:
    """A failure of the database or the channel layer that passes (a restart, a terminated
    connection), as opposed to data that was refused or a bug."""
    if isinstance(exc, (IntegrityError, DataError)):
        return False
    return isinstance(exc, (DatabaseError, RedisError, OSError))
