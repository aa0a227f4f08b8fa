"""What event, reward and coupon pages say in the details: an ended event, the check-in window,
confirmations before giving up a seat or spending points, plural counts, a coupon's validity."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from content import demo as content_demo
from events import demo, services
from events.errors import CheckInError
from events.models import CheckIn, Registration, Reward
from events.rewards import services as reward_services
from portal import demo as portal_demo
from tests.factories import end_event, give_points, open_doors

pytestmark = pytest.mark.django_db


def test_an_ended_event_says_so_instead_of_seats_and_registration_dates(client, event, member):
    services.register_for_event(event=event, member=member)
    end_event(event)
    client.force_login(member)
    html = client.get(event.url).content.decode()
    assert "This event has ended." in html
    assert "seats left" not in html and "seat left" not in html and "data-event-seats" not in html
    assert "Registration " not in html and "Cancel until" not in html


def test_an_upcoming_event_still_shows_seats_and_registration_dates(client, event):
    html = client.get(event.url).content.decode()
    assert "This event has ended." not in html
    assert "seats left of 2" in html and "Cancel until" in html


def test_giving_up_a_seat_asks_first(client, event, member):
    services.register_for_event(event=event, member=member)
    client.force_login(member)
    html = client.get(event.url).content.decode()
    form = re.search(r'<form method="post" action="/events/[^"]+/cancel/"[^>]*>', html).group(0)
    assert 'data-confirm="Give up your seat at this event?' in form


def test_spending_points_asks_first_with_the_cost_and_free_gifts_do_not(client, member, make_reward):
    make_reward(title="Gloss upgrade", points_cost=250)
    make_reward(title="Free trial", kind="gift", percent_off=None, points_cost=0)
    client.force_login(member)
    html = client.get("/rewards/").content.decode()
    forms = re.findall(r'<form method="post" action="/rewards/\d+/redeem/"[^>]*>', html)
    assert len(forms) == 2
    assert [f for f in forms if "data-confirm" in f] == [
        next(f for f in forms if "Spend 250 points on “Gloss upgrade”?" in f)]


def test_a_reward_out_of_reach_has_a_disabled_button_and_counts_in_the_singular(client, member,
                                                                                  make_reward):
    make_reward(title="Tiny", points_cost=1, validity_days=1)
    client.force_login(member)
    html = client.get("/rewards/").content.decode()
    assert "Redeem for 1 point</button>" in html and "disabled>Redeem for 1 point" in html
    assert "Valid 1 day after redeeming." in html


def test_a_coupon_says_valid_until_once(client, member, make_reward):
    give_points(member, 100)
    coupon = reward_services.redeem_reward(member=member, reward=make_reward(title="Gloss"))
    client.force_login(member)
    date = timezone.localtime(coupon.expires_at).strftime("%Y-%m-%d")
    for url in ("/me/coupons/", f"/me/coupons/{coupon.code}/"):
        text = re.sub(r"<[^>]+>", " ", client.get(url).content.decode())
        assert text.lower().count("valid") == 1, url
        assert f"Valid until {date}" in text, url


def test_no_shows_marked_is_counted_in_the_singular_for_one(client, event, member, staff):
    services.register_for_event(event=event, member=member)
    end_event(event)
    client.force_login(staff)
    html = client.post(f"/checkin/{event.pk}/attendees/", follow=True).content.decode()
    assert "1 no-show marked." in html and "no-shows marked" not in html


def test_a_ticket_scanned_days_before_the_event_is_refused_with_the_opening_time(client, event, member,
                                                                               staff):
    registration = services.register_for_event(event=event, member=member)
    with pytest.raises(CheckInError) as exc:
        services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)
    assert exc.value.code == "too_early"
    client.force_login(staff)
    page = client.get(f"/checkin/{event.pk}/").content.decode()
    assert "data-checkin-too-early" in page
    html = client.post(f"/checkin/{event.pk}/", {"code": registration.ticket_code}).content.decode()
    opens = timezone.localtime(event.start - timedelta(hours=3), event.tz)
    assert 'data-checkin-result="bad"' in html
    assert f"Too early: check-in opens {opens:%Y-%m-%d} at {opens:%H:%M}, 3 hours before the start." in html
    assert not CheckIn.objects.exists()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_a_ticket_scanned_when_the_doors_open_is_admitted(client, event, member, staff):
    registration = services.register_for_event(event=event, member=member)
    open_doors(event)
    client.force_login(staff)
    assert "data-checkin-too-early" not in client.get(f"/checkin/{event.pk}/").content.decode()
    html = client.post(f"/checkin/{event.pk}/", {"code": registration.ticket_code}).content.decode()
    assert 'data-checkin-result="ok"' in html


def test_demo_scalp_coupon_is_for_hair_and_scalp_not_nails(site_tree):
    out = io.StringIO()
    portal_demo.seed(out)
    content_demo.seed(out)
    demo.seed(out)
    scalp = Reward.objects.get(title__startswith="NT$200 off a scalp treatment")
    assert scalp.service.slug == "hair-scalp"
    assert Reward.objects.get(title__startswith="Five manicures").service.slug == "nails"


def test_count_messages_have_plural_forms():
    from community.errors import ForumCode, ForumError
    from portal.errors import error_message

    with translation.override("en"):
        assert "wait 1 second and" in error_message(ForumError(ForumCode.TOO_FAST, wait=1))
        assert "wait 5 seconds and" in error_message(ForumError(ForumCode.TOO_FAST, wait=5))
