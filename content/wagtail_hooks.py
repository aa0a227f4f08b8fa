from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import PageViewRestriction

from content import services
from content.models import StorePage, TrainingCourseIndexPage


@hooks.register("before_serve_page")
def refuse_signed_in_outsiders(page, request, serve_args, serve_kwargs):
    """Wagtail sends everyone who fails a group restriction to the login page; a signed-in member
    is refused instead, since logging in again would not help."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        if (restriction.restriction_type == PageViewRestriction.GROUPS
                and not restriction.accept_request(request)):
            raise PermissionDenied


@hooks.register("after_create_page")
def protect_new_pages(request, page):
    if isinstance(page.specific, TrainingCourseIndexPage):
        services.restrict_courses(index=page.specific)
    if isinstance(page.specific, StorePage):
        services.ensure_store_staff_group(store=page.specific)
