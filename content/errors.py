"""Refusals of the content services (see portal.errors)."""

from django.utils.translation import gettext_lazy as _

from portal.errors import ErrorCode, PortalError


class StoreStaffCode(ErrorCode):
    STORE_NOT_LIVE = "store_not_live", _(
        "This store page is not published: publish it before adding its staff.")


class StoreStaffError(PortalError):
    codes = StoreStaffCode
