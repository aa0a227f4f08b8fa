"""Rules that change content state: search text, course privacy, store staff groups, site address."""

from urllib.parse import urlsplit

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.html import strip_tags
from wagtail.fields import StreamValue
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site

from content.errors import StoreStaffCode, StoreStaffError
from content.models import SearchText, StorePage, TrainingCourseIndexPage, stream_text
from content.selectors import STORE_GROUP_PREFIX
from portal import roles

# Who may open training courses: verified providers and the brand's own staff.
COURSE_GROUPS = (roles.PROVIDERS, roles.STORE_STAFF, roles.EDITORS, roles.MODERATORS)
TEXT_FIELDS = ("summary", "intro", "address", "bio", "quote", "hero_text")
STREAM_FIELDS = ("body", "lessons", "timeline")
STORE_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def page_text(page: Page) -> str:
    """Title, plain fields, StreamField strings and snippet names of a page, as one string."""
    page = page.specific
    parts = [page.title]
    for name in TEXT_FIELDS:
        value = getattr(page, name, "")
        if value:
            parts.append(strip_tags(str(value)))
    for name in STREAM_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, StreamValue):
            parts.append(stream_text(value))
    for name in ("category", "persona"):
        snippet = getattr(page, name, None)
        if snippet is not None:
            parts.append(snippet.name)
    return " ".join(parts)


@transaction.atomic
def index_page(*, page: Page) -> None:
    """A live page's search text is its current published text."""
    SearchText.objects.update_or_create(page_id=page.pk, defaults={"text": page_text(page)})


@transaction.atomic
def unindex_page(*, page: Page) -> None:
    """An unpublished page is not found by search."""
    SearchText.objects.filter(page_id=page.pk).delete()


def can_view_courses(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user.group_names & set(COURSE_GROUPS))


@transaction.atomic
def restrict_courses(*, index: TrainingCourseIndexPage) -> PageViewRestriction:
    """The course index and every course under it are visible only to the course groups."""
    restriction, _ = PageViewRestriction.objects.get_or_create(
        page=index, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in COURSE_GROUPS))
    return restriction


def store_group_name(store: StorePage) -> str:
    return f"{STORE_GROUP_PREFIX}{store.slug}"


@transaction.atomic
def ensure_store_staff_group(*, store: StorePage) -> Group:
    """Each store has one staff group that may edit and publish that store's subtree only."""
    group, _ = Group.objects.get_or_create(name=store_group_name(store))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin",
                                                 codename="access_admin"))
    for codename in STORE_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=store,
            permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                              codename=codename),
        )
    return group


@transaction.atomic
def add_store_staff(*, user, store: StorePage) -> Group:
    """Store staff belong to the role group and to their store's own group; adding twice is a
    no-op."""
    if not store.live:
        raise StoreStaffError(StoreStaffCode.STORE_NOT_LIVE)
    group = ensure_store_staff_group(store=store)
    user.groups.add(group, Group.objects.get_or_create(name=roles.STORE_STAFF)[0])
    return group


@transaction.atomic
def point_default_site_at(url: str) -> Site:
    """The default Wagtail Site takes the host and port of the site's public address (SITE_URL), so
    the admin's Sites list and host matching agree with the links pages print."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.select_for_update().get(is_default_site=True)
    if (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
