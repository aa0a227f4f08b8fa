"""Refusals of the forums, the service reviews and the chat (see portal.errors)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from portal.errors import ErrorCode, PortalError


class ForumCode(ErrorCode):
    TOO_FAST = "too_fast", ngettext_lazy(
        "You are posting too fast. Please wait %(seconds)s second and try again.",
        "You are posting too fast. Please wait %(seconds)s seconds and try again.", "seconds")
    FORBIDDEN = "forbidden", _("You can't do that here.")
    SUSPENDED = "suspended", _("Your account is suspended: you can read, but not post.")
    LOCKED = "locked", _("This topic is locked: it takes no new replies.")
    EDIT_WINDOW_OVER = "edit_window_over", _("Posts can be edited for 30 minutes after posting.")
    BAD_REACTION = "bad_reaction", _("Unknown reaction.")
    BAD_SUSPENSION = "bad_suspension", _("Choose at least one day, for someone else.")
    NO_REASON = "no_reason", _("Tell the member why: the reason is shown to them.")


class ForumError(PortalError):
    """A forum rule refused the action; `wait` is the seconds until a too-fast post may go."""

    codes = ForumCode

    def __init__(self, code: ForumCode, wait: int = 0):
        super().__init__(code)
        self.wait = wait

    def text_params(self) -> dict:
        return {"seconds": self.wait} if self.code == ForumCode.TOO_FAST else {}


class ReviewCode(ErrorCode):
    FORBIDDEN = "forbidden", _("You can't do that here.")
    SUSPENDED = "suspended", _("Your account is suspended: you can read, but not post.")
    NOT_YOUR_VISIT = "not_your_visit", _("Only the member who was served can review this visit.")
    ALREADY_REVIEWED = "already_reviewed", _("You have already reviewed this visit.")
    BAD_SCORE = "bad_score", _("Scores go from 1 to 5.")
    EMPTY = "empty", _("Write a few words about the service.")
    NOT_STORE_PRACTITIONER = "not_store_practitioner", _("Choose a practitioner who works at this store.")
    ALREADY_ANSWERED = "already_answered", _("This review already has an answer.")


class ReviewError(PortalError):
    codes = ReviewCode


class ChatCode(ErrorCode):
    FORBIDDEN = "forbidden", _("You cannot do that in this room.")
    SUSPENDED = "suspended", _("Your account is suspended: you can read but not write.")
    EMPTY = "empty", _("Write a message first.")
    TOO_LONG = "too_long", _("Messages are at most 2,000 characters.")
    RATE_LIMITED = "rate_limited", _("You are sending too fast: wait a few seconds.")
    CLIENT_ID_REQUIRED = "client_id_required", _("Reload the page and try again.")
    DELETED = "deleted", _("This message was deleted.")
    EDIT_WINDOW_OVER = "edit_window_over", _("Messages can only be changed for 10 minutes.")
    NOT_FOUND = "not_found", _("That message does not exist.")
    BAD_REQUEST = "bad_request", _("The server did not understand that.")
    UNAVAILABLE = "unavailable", _("The chat is briefly unavailable: your message will be sent again.")
    DIRECT_NOT_ALLOWED = "direct_not_allowed", _("That member does not accept direct messages.")
    DIRECT_RATE_LIMITED = "direct_rate_limited", _(
        "You have started many new conversations in the last hour. Try again within the hour.")


class ChatError(PortalError):
    """A chat rule refused the action; `retry_after` is the seconds until the rate limit takes it."""

    codes = ChatCode

    def __init__(self, code: ChatCode, retry_after: float = 0):
        super().__init__(code)
        self.retry_after = retry_after
