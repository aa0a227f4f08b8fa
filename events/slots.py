"""What events shows on content pages (content.slots) and in site search (content.search)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.search import Result, terms
from events import selectors
from events.models import EventIndexPage
from portal.caching import page_tree_value

HOME_COUNT = 3
PAGE_COUNT = 6
TEMPLATE = "events/slots/events.html"


def _index(request):
    # With the request: under the generation it already read, one round trip.
    return page_tree_value("event-index", lambda: EventIndexPage.objects.live().first(), request=request)


def _context(request, slot_id: str, heading: str, events, *, index_query: str = "") -> dict:
    return {"slot_id": slot_id, "heading": heading, "events": events, "index": _index(request),
            "index_query": index_query}


def upcoming_events(request, page):
    """The next few events on the home page; nothing when none are planned."""
    events = list(selectors.list_upcoming_events().only(*selectors.CARD_FIELDS)[:HOME_COUNT])
    if not events:
        return None
    return TEMPLATE, _context(request, "upcoming-events", _("Upcoming events"), events)


def store_events(request, page):
    """A store's coming events, with an empty state: visitors look for them here."""
    events = list(selectors.list_upcoming_events(store=page.slug)[:PAGE_COUNT])
    return TEMPLATE, _context(request, "store-events", _("Events at this store"), events,
                              index_query=f"?store={page.slug}")


def practitioner_events(request, page):
    events = list(selectors.list_upcoming_events().filter(practitioners=page)[:PAGE_COUNT])
    if not events:
        return None
    return TEMPLATE, _context(request, "practitioner-events", _("Upcoming events with %(name)s")
                              % {"name": page.title}, events)


def next_experience_day(request, page):
    """One experience day for the reader of a story or a tip: at the story's store, else at the
    reader's home store, else the soonest anywhere."""
    user = request.user if request is not None else None
    signed_in = user is not None and user.is_authenticated
    event = selectors.get_next_experience_day(
        store_id=getattr(page, "store_id", None) or (user.home_store_id if signed_in else None),
        for_provider=signed_in and user.is_provider)
    if event is None:
        return None
    # Its index is its parent (EventPage.parent_page_types): the event's address without its own
    # segment, with no lookup of the index.
    address = event.get_url(request)
    return "events/slots/next_event.html", {
        "event": event, "index_url": address and address.rstrip("/").rsplit("/", 1)[0] + "/"}


def search_events(query: str, user, limit: int) -> list[Result]:
    """Published events that have not ended, matched on title, summary or store."""
    condition = Q()
    for term in terms(query):
        condition &= (Q(title__icontains=term) | Q(summary__icontains=term)
                      | Q(store__title__icontains=term))
    events = selectors.list_upcoming_events().public().filter(condition)[:limit]
    return [
        Result(title=event.title, url=event.url,
               summary=f"{event.local_start:%Y-%m-%d %H:%M} · {event.store.title}")
        for event in events
    ]


def register() -> None:
    from content import search, slots

    slots.register_slot("upcoming_events", upcoming_events)
    slots.register_slot("store_events", store_events)
    slots.register_slot("practitioner_events", practitioner_events)
    slots.register_slot("story_event", next_experience_day)
    slots.register_slot("tip_event", next_experience_day)
    search.register_section("events", gettext_lazy("Events"), search_events, order=35)
