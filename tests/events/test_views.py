from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import EventPage, Registration
from portal import roles
from tests.factories import end_event, make_user

pytestmark = pytest.mark.django_db
Status = Registration.Status


def test_index_lists_upcoming_events_with_filters(client, make_event):
    make_event(title="Nails day", kind=EventPage.Kind.EXPERIENCE_DAY)
    make_event(title="Lash training", kind=EventPage.Kind.TRAINING)
    make_event(title="Old day", start=timezone.now() - timedelta(days=2))
    body = client.get("/events/").content.decode()
    assert "Nails day" in body and "Lash training" in body and "Old day" not in body
    body = client.get("/events/?kind=training").content.decode()
    assert "Lash training" in body and "Nails day" not in body


def test_index_seats_left_filter_hides_full_events(client, make_event, member):
    full = make_event(title="Full day", capacity=1)
    make_event(title="Open day")
    services.register_for_event(event=full, member=member)
    body = client.get("/events/?seats_left=on").content.decode()
    assert "Open day" in body and "Full day" not in body


def test_seats_are_counted_per_event_not_by_grouping_every_column(make_event, member):
    """The listing's seat count is a subquery per row: grouping the join of page, event and store by
    all their columns made the home page's three upcoming events its costliest query."""
    from events import selectors

    full, open_day = make_event(capacity=1), make_event(capacity=3)
    services.register_for_event(event=full, member=member)
    listed = selectors.list_upcoming_events()
    assert {event.pk: event.seats_left for event in listed} == {full.pk: 0, open_day.pk: 3}
    assert "GROUP BY" not in str(listed.query).split("(SELECT", 1)[0]


def test_event_details_are_a_page_fragment_and_seats_stay_live(client, make_event, member,
                                                                other_member):
    """What an event says (cover, times, store, practitioners) is rendered once per page
    generation; the seats left and the visitor's own registration are read on every view."""
    event = make_event(capacity=2)
    client.force_login(member)
    client.get(event.url)
    services.register_for_event(event=event, member=other_member)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(event.url).content.decode()
    assert not [q for q in queries if "practitioners" in q["sql"]]
    assert event.store.title in html and ">1</strong> seat left of 2" in html


def test_index_query_count_is_constant(client, make_event):
    def queries(n):
        EventPage.objects.all().delete()
        for _ in range(n):
            make_event()
        client.get("/events/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/events/").status_code == 200
        return len(ctx)

    assert queries(5) == queries(50)


def test_register_and_cancel_through_the_page(client, event, member):
    client.force_login(member)
    response = client.post(f"/events/{event.slug}/register/", follow=True)
    assert "Confirmed" in response.content.decode()
    reg = Registration.objects.get(event=event, member=member)
    assert reg.status == Status.CONFIRMED
    client.post(f"/events/{event.slug}/cancel/")
    reg.refresh_from_db()
    assert reg.status == Status.CANCELLED


def test_registering_reads_only_what_the_rules_need(client, make_event, member, other_member):
    """The race's cost: a registration is a handful of narrow queries, never the page's 40 columns."""
    event = make_event(capacity=1)
    for user in (member, other_member):  # one confirmed, one waitlisted
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(f"/events/{event.slug}/register/").status_code == 302
        page_columns = [q["sql"] for q in queries
                        if '"events_eventpage"' in q["sql"] and '"draft_title"' in q["sql"]]
        assert page_columns == [] and len(queries) <= 14
    assert Registration.objects.filter(event=event, status=Status.WAITLISTED).count() == 1


def test_refused_registration_shows_the_reason(client, make_event, member):
    training = make_event(audience=EventPage.Audience.PROVIDERS)
    client.force_login(member)
    body = client.post(f"/events/{training.slug}/register/", follow=True).content.decode()
    assert "verified providers only" in body


def test_event_calendar_is_valid_ics(client, event):
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    vevent = cal.walk("VEVENT")[0]
    assert vevent.get("summary") == event.title
    assert vevent.decoded("dtstart") == event.start.replace(microsecond=0)
    assert cal.walk("VTIMEZONE")


def test_all_upcoming_calendar_lists_each_event(client, make_event):
    make_event(title="One")
    make_event(title="Two")
    cal = Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert sorted(str(e.get("summary")) for e in cal.walk("VEVENT")) == ["One", "Two"]


def test_ticket_visible_to_owner_and_store_staff_only(client, event, member, other_member, staff, store):
    reg = services.register_for_event(event=event, member=member)
    url = f"/me/tickets/{reg.ticket_code}/"
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and b"<svg" in response.content
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    elsewhere = make_user("far@example.com", roles.STORE_STAFF)
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404


def test_dashboard_lists_my_events(client, event, member):
    services.register_for_event(event=event, member=member)
    client.force_login(member)
    body = client.get("/me/").content.decode()
    assert event.title in body and "Confirmed" in body


def test_reminders_sent_once_within_24_hours(make_event, member):
    soon = make_event(start=timezone.now() + timedelta(hours=20), cancellation_deadline=timezone.now())
    later = make_event()
    services.register_for_event(event=soon, member=member)
    services.register_for_event(event=later, member=member)
    call_command("send_event_reminders")
    call_command("send_event_reminders")
    assert member.notifications.filter(kind="event_reminder").count() == 1


def test_no_shows_marked_after_the_event(event, member, other_member):
    services.register_for_event(event=event, member=member)
    services.register_for_event(event=event, member=other_member)
    assert services.mark_no_shows(event=event) == 0
    end_event(event)
    call_command("mark_no_shows")
    assert set(Registration.objects.values_list("status", flat=True)) == {Status.NO_SHOW}


def test_dashboard_lists_registrations_in_constant_queries_reading_no_whole_page(client, member,
                                                                                make_event):
    """/me/ shows each event's title, time, store and ticket: read in one narrow query, however
    many registrations, with no page's other ~40 columns and no later read of a deferred one."""
    client.force_login(member)
    services.register_for_event(event=make_event(title="First day"), member=member)
    client.get("/me/")
    services.register_for_event(event=make_event(title="Second day"), member=member)
    with CaptureQueriesContext(connection) as one:
        client.get("/me/")
    for n in range(3):
        services.register_for_event(event=make_event(title=f"Day {n}"), member=member)
    with CaptureQueriesContext(connection) as four:
        html = client.get("/me/").content.decode()
    assert len(four) == len(one)
    assert "First day" in html and "Day 2" in html and html.count("/me/tickets/") == 5
    assert not [q for q in four if '"events_eventpage"."capacity"' in q["sql"]]
    # Kept until one of them changes (tests/events/test_member_sections.py).
    with CaptureQueriesContext(connection) as again:
        client.get("/me/")
    assert not [q for q in again if '"events_registration"' in q["sql"]]


def test_an_unpublished_event_takes_no_registration(client, member, event):
    """The event a registration acts on is kept per page generation: unpublishing renews it."""
    client.force_login(member)
    assert client.post(f"/events/{event.slug}/register/").status_code == 302
    event.unpublish()
    assert client.post(f"/events/{event.slug}/register/").status_code == 404
    assert client.post("/events/no-such-event/register/").status_code == 404


def test_registering_goes_back_to_the_event_s_page_where_it_now_is(client, member, other_member,
                                                                    event):
    """The page's address is kept with the event to act on, per page generation: when the event
    index is renamed, the same event's page is at a new address and the next member goes there."""
    client.force_login(member)
    assert client.post(f"/events/{event.slug}/register/")["Location"] == event.url
    index = event.get_parent().specific
    index.slug = "happenings"
    index.save_revision().publish()
    client.force_login(other_member)
    location = client.post(f"/events/{event.slug}/register/")["Location"]
    assert location == EventPage.objects.get(pk=event.pk).url
    assert location.endswith(f"/happenings/{event.slug}/")
