"""Layout checks a reviewer would otherwise do by eye, at a phone's width and a desktop's:
panels stay in the page column, rows of three fill the column, buttons keep apart, the ticket's
QR code fills its card. Screenshots go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services
from events.models import EventIndexPage, EventPage
from portal import roles
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1280)


def _box(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _events(site_tree, store, count):
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    return [index.add_child(instance=EventPage(
        title=f"Nail day {number}", slug=f"nail-day-{number}", store=store, capacity=5,
        start=now + timedelta(days=number + 1), end=now + timedelta(days=number + 1, hours=2),
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=number, hours=12),
        cancellation_deadline=now + timedelta(days=number),
    )) for number in range(count)]


def test_store_reviews_panel_stays_in_the_page_column(asgi_server, browser, artifacts_dir, store):
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(asgi_server["url"] + store.url)
        heading, panel = _box(page, "main h1"), _box(page, ".store-reviews")
        # The column: the heading's left edge, and as much room on the right as on the left.
        assert abs(panel["x"] - heading["x"]) <= 1, width
        assert panel["x"] + panel["width"] <= width - heading["x"] + 1, width
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts_dir / f"layout-store-reviews-{width}.png"), full_page=True)
        context.close()


def test_home_rows_of_three_fill_the_column_and_hero_buttons_keep_apart(asgi_server, browser,
                                                                       artifacts_dir, site_tree,
                                                                       store):
    _events(site_tree, store, 3)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(asgi_server["url"] + "/")
        grid = _box(page, "#upcoming-events-h ~ ul.cards, section:has(#upcoming-events-h) ul.cards")
        cards = page.locator("section:has(#upcoming-events-h) ul.cards > li")
        last = cards.nth(2).bounding_box()
        assert abs((last["x"] + last["width"]) - (grid["x"] + grid["width"])) <= 2, width
        first, second = (page.locator(".content-hero .button").nth(n).bounding_box() for n in (0, 1))
        apart = max(second["x"] - (first["x"] + first["width"]),
                    second["y"] - (first["y"] + first["height"]))
        assert apart >= 8, (width, apart)
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts_dir / f"layout-home-{width}.png"), full_page=True)
        context.close()


def test_ticket_qr_code_fills_its_card(asgi_server, browser, artifacts_dir, site_tree, store):
    event = _events(site_tree, store, 1)[0]
    member = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    registration = services.register_for_event(event=event, member=member)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(f"{asgi_server['url']}/accounts/login/")
        page.fill("input[name=login]", "mei@example.com")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{asgi_server['url']}/me/")
        page.goto(f"{asgi_server['url']}/me/tickets/{registration.ticket_code}/")
        code, drawing = _box(page, ".ticket-qr svg"), _box(page, ".ticket-qr svg path")
        # The drawing fills the square but for its quiet zone (2 of ~29 modules each side).
        assert drawing["width"] >= 0.8 * code["width"] and drawing["height"] >= 0.8 * code["height"]
        assert abs(code["width"] - code["height"]) <= 1
        _no_sideways_scroll(page)
        page.screenshot(path=str(artifacts_dir / f"layout-ticket-{width}.png"), full_page=True)
        context.close()
