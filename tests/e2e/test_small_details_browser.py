"""Details only a browser shows: a disabled button looks disabled, spending points and giving up a
seat ask first (data-confirm, no inline script under the CSP), a jump to a post lands below the
sticky header."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Category, Forum
from events import services
from events.models import Coupon, EventIndexPage, EventPage, Registration, Reward
from portal import roles
from tests.e2e.test_events_browser import _login
from tests.factories import give_points, make_reply, make_topic, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_rewards_out_of_reach_look_disabled_and_redeeming_asks_first(asgi_server, browser,
                                                                      artifacts_dir, site_tree):
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    give_points(mei, 300)
    Reward.objects.create(title="Gloss", kind="coupon", percent_off=10, points_cost=100)
    Reward.objects.create(title="Five manicures", kind="service_card", uses=5, points_cost=800)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _login(page, base, "mei@example.com")
    page.goto(f"{base}/rewards/")
    enabled = page.get_by_role("button", name="Redeem for 100 points")
    disabled = page.get_by_role("button", name="Redeem for 800 points")
    expect(disabled).to_be_disabled()

    def style(locator, prop):
        return locator.evaluate(f"el => getComputedStyle(el).{prop}")

    assert style(disabled, "cursor") == "not-allowed"
    assert style(disabled, "backgroundColor") != style(enabled, "backgroundColor")
    page.screenshot(path=str(artifacts_dir / "rewards-disabled-390.png"), full_page=True)

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    enabled.click()
    page.wait_for_timeout(500)
    assert questions == ["Spend 100 points on “Gloss”?"]
    assert not Coupon.objects.filter(owner=mei).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    enabled.click()
    page.wait_for_url(f"{base}/me/coupons/**")
    assert Coupon.objects.filter(owner=mei).count() == 1
    context.close()


def test_cancelling_a_seat_asks_first(asgi_server, browser, site_tree, store):
    base = asgi_server["url"]
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, capacity=5, start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=2), registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=2), cancellation_deadline=now + timedelta(days=2)))
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    registration = services.register_for_event(event=event, member=mei)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _login(page, base, "mei@example.com")
    page.goto(f"{base}/events/nail-day/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Cancel my registration").click()
    page.wait_for_timeout(500)
    assert questions and questions[0].startswith("Give up your seat at this event?")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.locator("[data-my-status]")).to_have_text("Cancelled")
    context.close()


def test_a_jump_to_a_post_lands_below_the_sticky_header(asgi_server, browser, artifacts_dir, site_tree):
    # Both widths in one test: the server's cache outlives a test's database, not its ids.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    category = Category.objects.filter(forum=Forum.objects.get(slug="members")).first()
    topic = make_topic(category, mei, title="Long thread")
    posts = [make_reply(topic, mei, f"Reply number {n}\n\n" + "More words. " * 40) for n in range(15)]
    target = posts[11]
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        _login(page, base, "mei@example.com")
        page.goto(f"{base}/community/posts/{target.pk}/")
        page.wait_for_url(f"**#post-{target.pk}")
        page.wait_for_timeout(1000)
        header_bottom = page.locator(".site-header").evaluate("el => el.getBoundingClientRect().bottom")
        post_top = page.locator(f"#post-{target.pk}").evaluate("el => el.getBoundingClientRect().top")
        page.screenshot(path=str(artifacts_dir / f"post-jump-{width}.png"))
        assert header_bottom <= post_top < header_bottom + 80, width
        context.close()
