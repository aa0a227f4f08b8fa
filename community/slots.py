"""What the community shows on content pages (content.slots) and in site search (content.search)."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from community import permissions, selectors
from content.search import Result, terms
from portal.caching import Key

BUSY_TOPICS_SECONDS = 60
# No write drops it: a busy list a minute old is still right (time only).
BUSY_TOPICS = Key("busy-topics")


def busy_topics(request, page):
    # Counting two weeks of posts is the home page's heaviest query (12,000 posts in `make bench`'s
    # set): kept a minute per set of readable forums; a busy list a minute old is still right.
    user = request.user
    key = BUSY_TOPICS(int(permissions.is_moderator(user)),
                      ",".join(map(str, selectors.readable_forum_ids(user))))
    topics = cache.get_or_set(key, lambda: selectors.list_busy_topics(user=user),
                              BUSY_TOPICS_SECONDS)
    if not topics:
        return None
    return "community/slots/busy_topics.html", {"topics": topics}


def store_reviews(request, page):
    return "community/store_reviews.html", {
        "summary": selectors.store_review_summary(page, request.user),
        "heading_id": "store-reviews-title",
        "empty_text": _("No reviews yet. Members can review this store after a visit."),
    }


def practitioner_reviews(request, page):
    return "community/store_reviews.html", {
        "summary": selectors.practitioner_review_summary(page, request.user),
        "heading_id": "practitioner-reviews-title",
        "empty_text": _("No reviews yet. Members can name this practitioner when they review a "
                        "visit."),
    }


def search_topics(query: str, user, limit: int) -> list[Result]:
    topics = selectors.list_matching_topics(user=user, words=terms(query), limit=limit)
    return [Result(title=topic.title, url=topic.get_absolute_url(), summary=topic.forum.name)
            for topic in topics]


def register() -> None:
    from content import search, slots

    slots.register_slot("busy_topics", busy_topics)
    slots.register_slot("store_reviews", store_reviews)
    slots.register_slot("practitioner_reviews", practitioner_reviews)
    search.register_section("topics", _("Forum topics"), search_topics, order=60)
