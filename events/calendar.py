"""iCalendar (.ics) documents for events."""

from django.conf import settings
from icalendar import Calendar, Event


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
    cal.add_missing_timezones()
    return cal.to_ical()
