from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.models import PageViewRestriction

from content import services
from content.models import StorePage, TrainingCourseIndexPage, TrainingCoursePage


@hooks.register("before_serve_page", order=-1)
def refuse_signed_in_outsiders(page, request, serve_args, serve_kwargs):
    """Wagtail sends everyone who fails a group restriction to the login page; a signed-in member
    is refused instead, since logging in again would not help. Training courses say whom they are
    for and how to get there (apply to be verified), to members and visitors alike."""
    courses = isinstance(page, (TrainingCourseIndexPage, TrainingCoursePage))
    if not (courses or request.user.is_authenticated):
        return None
    for restriction in page.get_view_restrictions():
        if (restriction.restriction_type == PageViewRestriction.GROUPS
                and not restriction.accept_request(request)):
            if courses:
                return TemplateResponse(request, "content/courses_for_providers.html",
                                        {"page": page}, status=403)
            raise PermissionDenied
    return None


@hooks.register("after_create_page")
def protect_new_pages(request, page):
    if isinstance(page.specific, TrainingCourseIndexPage):
        services.restrict_courses(index=page.specific)
    if isinstance(page.specific, StorePage):
        services.ensure_store_staff_group(store=page.specific)
