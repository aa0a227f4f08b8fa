"""Reads shaped for the content pages: a constant number of queries however many children."""

from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject

from content.models import (
    CareTipIndexPage,
    CareTipPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    OpeningHours,
    PractitionerPage,
    StoreIndexPage,
    StorePage,
    TrainingCoursePage,
)
from portal import roles
from portal.caching import page_tree_value

RENDITIONS = "renditions"
# Each store's own staff group is named "Store staff: <store slug>" (content.services).
STORE_GROUP_PREFIX = f"{roles.STORE_STAFF}: "


def _with_cover(queryset, field="cover"):
    return queryset.select_related(field).prefetch_related(f"{field}__{RENDITIONS}")


def list_tips(index, *, category: str = ""):
    tips = CareTipPage.objects.child_of(index).live().select_related("category")
    if category:
        tips = tips.filter(category__slug=category)
    return _with_cover(tips).order_by("-first_published_at", "-pk")


def list_related_tips(tip):
    return _with_cover(tip.related_tips.live()).select_related("category")[:3]


def list_stories(index, *, persona: str = "", category: str = ""):
    # A story card shows neither the body nor the store: the bodies were most of each row's bytes
    # and JSON to decode, and the store a join of another page model's ~40 columns.
    stories = CaseStudyPage.objects.child_of(index).live().select_related(
        "persona", "category"
    ).defer("body")
    if persona:
        stories = stories.filter(persona__slug=persona)
    if category:
        stories = stories.filter(category__slug=category)
    return _with_cover(stories).order_by("-first_published_at", "-pk")


def list_stories_of_practitioner(practitioner):
    return list(
        _with_cover(practitioner.stories.live().select_related("persona"))
        .order_by("-first_published_at")[:12]
    )


def list_stories_at_store(store_id: int, limit: int = 3) -> list:
    """The newest public stories told at one store, for that store's events."""
    stories = CaseStudyPage.objects.live().public().filter(store_id=store_id)
    return list(_with_cover(stories.select_related("persona")).defer("body")
                .order_by("-first_published_at", "-pk")[:limit])


def list_practitioners(index):
    return (
        _with_cover(PractitionerPage.objects.child_of(index).live(), "photo")
        .select_related("user")
        .prefetch_related("specialties", Prefetch("stores", StorePage.objects.live()))
        .order_by("title")
    )


def list_stores(index):
    return (
        _with_cover(StorePage.objects.child_of(index).live())
        .prefetch_related(Prefetch("opening_hours", OpeningHours.objects.order_by("weekday")))
        .order_by("title")
    )


def list_courses(index):
    return _with_cover(
        TrainingCoursePage.objects.child_of(index).live().select_related("category")
    ).order_by("title")


def week_hours(slots) -> list[dict]:
    """Every day of the week from Monday, each with its slots in order (`day`, `slots`): a day
    without any is shown as closed, never left out. Empty when the store gives no hours at all."""
    slots = sorted(slots, key=lambda slot: (slot.weekday, slot.opens))
    if not slots:
        return []
    return [{"day": label, "slots": [slot for slot in slots if slot.weekday == weekday]}
            for weekday, label in OpeningHours.Weekday.choices]


def store_details(store) -> dict:
    return {
        "hours": week_hours(store.opening_hours.all()),
        "is_open": store.open_now(),
        "staff": list(
            _with_cover(store.practitioners.live(), "photo").select_related("user").order_by("title")
        ),
        "store_stories": list(_with_cover(store.stories.live()).order_by("-first_published_at")[:6]),
    }


def home_sections(home) -> dict:
    """Featured tips (the editor's pick, else the newest), latest stories and the store finder, with
    the section pages they link to. Each is read only when the home page's fragment that shows it is
    not cached (portal.templatetags.page_fragments), and always in a preview, which shows the editor's
    unsaved picks."""
    indexes = SimpleLazyObject(lambda: page_tree_value(f"home-indexes:{home.pk}", lambda: [
        model.objects.child_of(home).live().first()
        for model in (CareTipIndexPage, CaseStudyIndexPage, StoreIndexPage)
    ]))
    tip_index, story_index, store_index = (
        SimpleLazyObject(lambda position=position: indexes[position]) for position in range(3)
    )

    def featured_tips():
        picked = list(_with_cover(home.featured_tips.live()).select_related("category")[:3])
        return picked or (list(list_tips(tip_index)[:3]) if tip_index else [])

    return {
        "featured_tips": SimpleLazyObject(featured_tips),
        "latest_stories": SimpleLazyObject(
            lambda: list(list_stories(story_index)[:3]) if story_index else []),
        "finder_stores": SimpleLazyObject(
            lambda: list(list_stores(store_index)) if store_index else []),
        "tip_index": tip_index, "story_index": story_index, "store_index": store_index,
    }


def staffed_store_ids(user) -> frozenset[int]:
    """The stores whose own staff group the user belongs to: the one rule for "staff of store X"
    that events (check-in) and community (visits, chat) ask; no query when the user is in none."""
    if not user.is_authenticated:
        return frozenset()
    slugs = [name.removeprefix(STORE_GROUP_PREFIX) for name in user.group_names
             if name.startswith(STORE_GROUP_PREFIX)]
    if not slugs:
        return frozenset()
    return frozenset(StorePage.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def is_staff_of_store(user, store_id: int | None) -> bool:
    return store_id is not None and store_id in staffed_store_ids(user)


def store_ids_served_by(user) -> set[int]:
    """The stores whose customers this person answers: the stores they are staff of and the live stores
    they practise at."""
    if not user.is_authenticated:
        return set()
    served = set(staffed_store_ids(user))
    served.update(
        PractitionerPage.objects.live().filter(user=user).values_list("stores", flat=True)
    )
    served.discard(None)
    return served
