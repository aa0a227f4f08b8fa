"""Errors raised by events services; views map each stable code to text."""

from portal.errors import PortalError


class RegistrationError(PortalError):
    pass


class CapacityError(PortalError):
    pass


class CheckInError(PortalError):
    def __init__(self, code: str, registration=None):
        super().__init__(code)
        self.registration = registration


class FeedbackError(PortalError):
    pass


class RewardError(PortalError):
    pass


class CouponError(PortalError):
    def __init__(self, code: str, coupon=None, use=None):
        super().__init__(code)
        self.coupon = coupon
        self.use = use
