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
    groups = user.group_names
    # Asked more than once a request (a scan at the door: the view, then the check-in service):
    # kept on the user object for as long as its group names are the ones it was read for.
    known = user.__dict__.get("_staffed_store_ids")
    if known is not None and known[0] is groups:
        return known[1]
    slugs = [name.removeprefix(STORE_GROUP_PREFIX) for name in groups
             if name.startswith(STORE_GROUP_PREFIX)]
    ids = frozenset(StorePage.objects.filter(slug__in=slugs).values_list("pk", flat=True)
                    ) if slugs else frozenset()
    user.__dict__["_staffed_store_ids"] = (groups, ids)
    return ids


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
