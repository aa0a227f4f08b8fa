"""/me/'s events and rewards sections are kept per member (events_tags._member_section) and never
stale: a write to the member's registrations, points or coupons, a published page, new badges or
the passing of an event's end or a coupon's expiry shows at once."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events import services
from events.models import Registration
from events.rewards import services as reward_services
from tests.factories import end_event, give_points

pytestmark = pytest.mark.django_db


def dashboard(client) -> str:
    response = client.get("/me/")
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, css: str) -> str:
    start = html.index(f'class="card {css}"')
    return html[start:html.index("</section>", start)]


def test_a_second_view_reads_neither_section(client, member, event):
    client.force_login(member)
    services.register_for_event(event=event, member=member)
    dashboard(client)
    with CaptureQueriesContext(connection) as queries:
        html = dashboard(client)
    assert event.title in section(html, "my-events")
    assert not [q for q in queries if "events_" in q["sql"]]


def test_registering_cancelling_and_no_shows_show_at_once(client, member, event,
                                                         django_capture_on_commit_callbacks):
    # Each write commits, as in a request: the member's token is dropped once it has.
    committed = django_capture_on_commit_callbacks
    client.force_login(member)
    assert event.title not in section(dashboard(client), "my-events")
    with committed(execute=True):
        registration = services.register_for_event(event=event, member=member)
    assert event.title in section(dashboard(client), "my-events")
    with committed(execute=True):
        services.cancel_registration(registration=registration, member=member)
    assert event.title not in section(dashboard(client), "my-events")
    with committed(execute=True):
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)
        end_event(event)
        services.mark_no_shows(event=event)  # by update(): no signal
    assert "No-show" in section(dashboard(client), "my-events")


def test_points_and_coupons_show_at_once(client, member, make_reward, staff, store,
                                         django_capture_on_commit_callbacks):
    committed = django_capture_on_commit_callbacks
    client.force_login(member)
    assert "<strong class=\"tabular\" data-points-balance>0</strong>" in dashboard(client)
    with committed(execute=True):
        give_points(member, 150)
    assert "data-points-balance>150</strong>" in dashboard(client)
    with committed(execute=True):
        coupon = reward_services.redeem_reward(member=member, reward=make_reward())
    html = section(dashboard(client), "my-rewards")
    assert "data-points-balance>50</strong>" in html and "1 coupon ready to use" in html
    with committed(execute=True):
        reward_services.use_coupon(code=coupon.code, staff=staff, store=store, scan_id="scan-1")
    assert "0 coupons ready to use" in section(dashboard(client), "my-rewards")


def test_a_renamed_event_and_new_badges_show_at_once(client, member, event):
    client.force_login(member)
    services.register_for_event(event=event, member=member)
    dashboard(client)
    event.title = "Gel nails night"
    event.save_revision().publish()
    assert "Gel nails night" in section(dashboard(client), "my-events")
    member.badges = ["first_event"]
    member.save(update_fields=["badges"])
    assert "badge badge-sage" in section(dashboard(client), "my-rewards")


def test_an_ending_event_and_an_expiring_coupon_move_on_time(client, member, event, make_reward):
    client.force_login(member)
    give_points(member, 100)
    coupon = reward_services.redeem_reward(member=member, reward=make_reward())
    soon = timezone.now() + timedelta(seconds=1)
    type(coupon).objects.filter(pk=coupon.pk).update(expires_at=soon)
    type(event).objects.filter(pk=event.pk).update(start=soon - timedelta(hours=2), end=soon)
    Registration.objects.create(event=event, member=member, status=Registration.Status.CONFIRMED)
    html = dashboard(client)
    assert "No upcoming events." not in section(html, "my-events")
    assert "1 coupon ready to use" in section(html, "my-rewards")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.1)
    html = dashboard(client)
    assert "No upcoming events." in section(html, "my-events")
    assert "0 coupons ready to use" in section(html, "my-rewards")


def test_languages_are_kept_apart(client, member):
    client.force_login(member)
    assert "No upcoming events." in dashboard(client)
    with translation.override("zh-hant"):
        client.cookies["django_language"] = "zh-hant"
        assert "No upcoming events." not in dashboard(client)



def test_a_cancelled_registration_moves_to_past_events_when_its_event_ends(client, member, event):
    client.force_login(member)
    soon = timezone.now() + timedelta(seconds=1)
    type(event).objects.filter(pk=event.pk).update(start=soon - timedelta(hours=2), end=soon)
    Registration.objects.create(event=event, member=member, status=Registration.Status.CANCELLED)
    assert event.title not in section(dashboard(client), "my-events")
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.1)
    assert event.title in section(dashboard(client), "my-events")
