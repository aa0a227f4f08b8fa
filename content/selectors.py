"""What other apps ask of content: which stores a person staffs or serves, a store's stories. The pages'
own reads stand beside them in content/models.py."""

from content.models import CARD_FIELDS, CaseStudyPage, PractitionerPage, StorePage, with_cover
from portal import roles
from portal.pages import public

# Each store's own staff group is named "Store staff: <store slug>" (content.services).
STORE_GROUP_PREFIX = f"{roles.STORE_STAFF}: "


def list_stories_at_store(store_id: int, limit: int = 3) -> list:
    """The newest public stories told at one store, for that store's events."""
    stories = public(CaseStudyPage.objects.live().filter(store_id=store_id))
    return list(with_cover(stories.select_related("persona"))
                .only(*CARD_FIELDS, "summary", "cover", "persona__name")
                .order_by("-first_published_at", "-pk")[:limit])


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
