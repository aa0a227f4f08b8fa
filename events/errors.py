"""Refusals of the events services and the rewards (see portal.errors)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from events.models import CHECK_IN_OPENS_BEFORE
from portal.errors import ErrorCode, PortalError


class RegistrationCode(ErrorCode):
    MEMBERS_ONLY = "members_only", _("This event is for members. Sign up as a member to register.")
    PROVIDERS_ONLY = "providers_only", _("This event is for verified providers only.")
    NOT_OPEN_YET = "not_open_yet", _("Registration has not opened yet.")
    CLOSED = "closed", _("Registration for this event is closed.")
    NOT_YOURS = "not_yours", _("That registration is not yours.")
    NOT_CONFIRMED = "not_confirmed", _("Only a confirmed seat can be cancelled.")
    NOT_WAITLISTED = "not_waitlisted", _("You are not on the waitlist.")
    PAST_CANCELLATION_DEADLINE = "past_cancellation_deadline", _(
        "The cancellation deadline has passed. Please contact the store.")


class RegistrationError(PortalError):
    codes = RegistrationCode


class CapacityCode(ErrorCode):
    BELOW_CONFIRMED = "below_confirmed", ngettext_lazy(
        "%(taken)s seat is already confirmed: the capacity cannot be lower.",
        "%(taken)s seats are already confirmed: the capacity cannot be lower.", "taken")


class CapacityError(PortalError):
    """`taken` is the seats already taken, under which the capacity cannot go."""

    codes = CapacityCode

    def __init__(self, code: CapacityCode, taken: int = 0):
        super().__init__(code)
        self.taken = taken

    def text_params(self) -> dict:
        return {"taken": self.taken}


class CheckInCode(ErrorCode):
    FORBIDDEN = "forbidden", _("You may not do this.")
    UNKNOWN_CODE = "unknown_code", _("Unknown code")
    OTHER_EVENT = "other_event", _("This ticket is for another event")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    TOO_EARLY = "too_early", ngettext_lazy(
        "Too early: check-in opens %(date)s at %(time)s, %(hours)s hour before the start.",
        "Too early: check-in opens %(date)s at %(time)s, %(hours)s hours before the start.", "hours")


class CheckInError(PortalError):
    """The scanned ticket's `registration` (when one was found) and, when too early, the `event`."""

    codes = CheckInCode

    def __init__(self, code: CheckInCode, registration=None, event=None):
        super().__init__(code)
        self.registration = registration
        self.event = event

    def text_params(self) -> dict:
        if self.code != CheckInCode.TOO_EARLY:
            return {}
        opens = self.event.local_check_in_opens
        return {"date": opens.strftime("%Y-%m-%d"), "time": opens.strftime("%H:%M"),
                "hours": int(CHECK_IN_OPENS_BEFORE.total_seconds() // 3600)}


class FeedbackCode(ErrorCode):
    NOT_ENDED = "not_ended", _("This is possible once the event has ended.")
    NOT_ATTENDED = "not_attended", _("Only attendees who checked in can do this.")
    BAD_IMAGE = "bad_image", _("This file is not a valid image. Upload a JPEG, PNG or WebP image.")
    BAD_SCORE = "bad_score", _("Choose a rating from 1 to 5.")
    ALREADY_RATED = "already_rated", _("You have already rated this event.")
    FORBIDDEN = "forbidden", _("You may not do this.")


class FeedbackError(PortalError):
    codes = FeedbackCode


class RewardCode(ErrorCode):
    NOT_AVAILABLE = "not_available", _("This reward is not available now.")
    WRONG_AUDIENCE = "wrong_audience", _("This reward is not offered to your account.")
    OUT_OF_STOCK = "out_of_stock", _("Sorry, this reward is out of stock.")
    NOT_ENOUGH_POINTS = "not_enough_points", _("You do not have enough points for this reward.")


class RewardError(PortalError):
    codes = RewardCode


class AdjustmentCode(ErrorCode):
    """A moderator's points adjustment: the same `not_enough_points` as a redemption, told to staff."""

    FORBIDDEN = "forbidden", _("Only moderators can adjust points.")
    REASON_REQUIRED = "reason_required", _("Write the reason for the adjustment.")
    ZERO_AMOUNT = "zero_amount", _("Enter a number of points other than zero.")
    NOT_ENOUGH_POINTS = "not_enough_points", _("The balance cannot go below zero.")


class AdjustmentError(RewardError):
    codes = AdjustmentCode


class CouponCode(ErrorCode):
    FORBIDDEN = "forbidden", _("You may not do this.")
    UNKNOWN_CODE = "unknown_code", _("Unknown code")
    EXPIRED = "expired", _("This coupon has expired")
    USED_UP = "used_up", _("Already used on %(date)s%(store)s")


class CouponError(PortalError):
    """The scanned `coupon` (when one was found) and, when used up, its last `use`."""

    codes = CouponCode

    def __init__(self, code: CouponCode, coupon=None, use=None):
        super().__init__(code)
        self.coupon = coupon
        self.use = use

    def text_params(self) -> dict:
        if self.code != CouponCode.USED_UP:
            return {}
        return {"date": timezone.localtime(self.use.used_at).strftime("%Y-%m-%d %H:%M"),
                "store": f" · {self.use.store.title}" if self.use.store else ""}
