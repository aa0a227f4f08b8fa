from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from content.services import add_store_staff
from events.models import EventIndexPage, EventPage
from portal import roles
from tests.factories import PASSWORD, make_user


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/me/")


@pytest.mark.django_db(transaction=True)
def test_member_registers_staff_checks_in_member_sees_attended(asgi_server, browser, site_tree, store):
    base = asgi_server["url"]
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, capacity=5,
        start=now + timedelta(hours=2), end=now + timedelta(hours=4),
        registration_opens=now - timedelta(days=1), registration_closes=now + timedelta(hours=1),
        cancellation_deadline=now + timedelta(hours=1),
    ))
    make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    add_store_staff(user=make_user("kai@example.com", display_name="Kai"), store=store)

    member_ctx = browser.new_context(viewport={"width": 390, "height": 844})
    member = member_ctx.new_page()
    _login(member, base, "mei@example.com")
    member.goto(f"{base}/events/{event.slug}/")
    member.get_by_role("button", name="Register").click()
    expect(member.locator("[data-my-status]")).to_have_text("Confirmed")
    member.get_by_role("link", name="Show my ticket").click()
    expect(member.locator("[data-ticket-status]")).to_have_text("Confirmed")
    code = member.locator(".ticket-code code").inner_text()

    staff_ctx = browser.new_context(viewport={"width": 390, "height": 844})
    staff = staff_ctx.new_page()
    _login(staff, base, "kai@example.com")
    staff.goto(f"{base}/checkin/{event.pk}/")
    staff.fill("input[name=code]", code)
    staff.get_by_role("button", name="Check in").click()
    expect(staff.locator("[data-checkin-result]")).to_have_attribute("data-checkin-result", "ok")
    expect(staff.locator(".checkin-name")).to_have_text("Mei")

    member.goto(f"{base}/events/{event.slug}/")
    expect(member.locator("[data-my-status]")).to_have_text("Attended")
    member_ctx.close()
    staff_ctx.close()
