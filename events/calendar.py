"""iCalendar (.ics) documents for events."""

from functools import lru_cache

from django.conf import settings
from icalendar import Calendar, Event, Timezone


def _vevent(event) -> Event:
    item = Event()
    item.add("uid", f"event-{event.pk}@tend")
    item.add("summary", event.title)
    item.add("dtstart", event.local_start)
    item.add("dtend", event.local_end)
    item.add("dtstamp", event.last_published_at or event.start)
    item.add("location", f"{event.store.title}, {event.store.address}".strip(", "))
    if event.summary:
        item.add("description", event.summary)
    path = event.get_url() or ""
    item.add("url", f"{settings.SITE_URL}{path}" if path.startswith("/") else path)
    return item


def build_calendar(events) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Tend//Events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Tend")
    for event in events:
        cal.add_component(_vevent(event))
    for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
        if zone := _vtimezone(tzid):
            cal.subcomponents.insert(position, zone)
    return cal.to_ical()


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> Timezone | None:
    # Building a VTIMEZONE walks decades of the zone's transitions: ~140 ms, a fifth of each
    # registration's time in `make bench` (the ticket e-mail carries a calendar). Once per zone
    # per process; the component is only serialized afterwards, never changed.
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:  # a zone icalendar does not know: left out, as add_missing_timezones did
        return None
