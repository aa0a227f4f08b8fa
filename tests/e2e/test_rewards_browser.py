from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.services import add_store_staff
from events import services
from events.models import EventIndexPage, EventPage
from events.rewards.services import FIRST_ATTENDANCE_BONUS
from portal import roles
from tests.e2e.test_events_browser import _login
from tests.factories import make_user


@pytest.mark.django_db(transaction=True)
def test_open_dashboard_shows_new_points_when_staff_check_the_member_in(asgi_server, browser, site_tree,
                                                                        store):
    base = asgi_server["url"]
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, capacity=5, reward_points=30,
        start=now + timedelta(hours=2), end=now + timedelta(hours=4),
        registration_opens=now - timedelta(days=1), registration_closes=now + timedelta(hours=1),
        cancellation_deadline=now + timedelta(hours=1),
    ))
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    add_store_staff(user=make_user("kai@example.com", display_name="Kai"), store=store)
    code = services.register_for_event(event=event, member=mei).ticket_code

    member_ctx = browser.new_context(viewport={"width": 390, "height": 844})
    member = member_ctx.new_page()
    _login(member, base, "mei@example.com")
    figure = member.locator(".my-rewards [data-points-balance]")
    expect(figure).to_have_text("0")
    # Let the notifications socket connect before anything is pushed.
    member.wait_for_timeout(1500)

    staff_ctx = browser.new_context(viewport={"width": 390, "height": 844})
    staff = staff_ctx.new_page()
    _login(staff, base, "kai@example.com")
    staff.goto(f"{base}/checkin/{event.pk}/")
    staff.fill("input[name=code]", code)
    staff.get_by_role("button", name="Check in").click()
    expect(staff.locator("[data-checkin-result]")).to_have_attribute("data-checkin-result", "ok")

    # No reload: the pushed notification makes the dashboard re-read the balance.
    expect(figure).to_have_text(str(30 + FIRST_ATTENDANCE_BONUS), timeout=10000)
    assert member.url == f"{base}/me/"
    member_ctx.close()
    staff_ctx.close()
