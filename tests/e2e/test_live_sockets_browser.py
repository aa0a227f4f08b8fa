"""Every live page keeps its socket through static/js/socket.js: closed by the server with a code that
means "try again" it reconnects and the page goes on live; with one that means "never" it stops. A live
topic's new post is the server's own card, the same as after a reload."""

import io
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from community.chat import services as chat_services
from community.models import Category, Post, Topic
from events.models import EventIndexPage, EventPage
from portal import roles
from portal.sanitize import render_markdown
from tests.factories import make_user, trusted
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def forums(transactional_db):
    # The flush of transactional tests removes the migration's forums: seed them again.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


@pytest.fixture
def people(db):
    mei = trusted(make_user("mei@example.com", roles.MEMBERS, display_name="Mei"))
    otto = trusted(make_user("otto@example.com", roles.MEMBERS, display_name="Otto"))
    return mei, otto


def _page(browser, base, user):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    value = session_cookie(user).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}])
    return context, context.new_page()


def _routed(context, path):
    """The page's sockets to `path`, each passed through to the server, in the order they opened:
    the test closes one from the server's side with the code it chooses."""
    sockets = []

    def route(ws):
        sockets.append(ws)
        ws.connect_to_server()

    context.route_web_socket(re.compile(re.escape(path)), route)
    return sockets


def _topic(mei):
    category = Category.objects.filter(forum__slug="members").order_by("position").first()
    topic = Topic.objects.create(forum=category.forum, category=category, author=mei,
                                 title="Nail care", slug="nail-care")
    Post.objects.create(topic=topic, author=mei, source="Tips?", html=render_markdown("Tips?"))
    return topic


def _event(site_tree, store):
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    return index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=store, capacity=5,
        start=now + timedelta(hours=2), end=now + timedelta(hours=4),
        registration_opens=now - timedelta(days=1), registration_closes=now + timedelta(hours=1),
        cancellation_deadline=now + timedelta(hours=1),
    ))


def _reply(page, base, topic, text, photo=None, shown=None):
    page.goto(base + topic.get_absolute_url())
    page.locator("#reply textarea").fill(text)
    if photo:
        page.locator("#reply input[name=image]").set_input_files(photo)
    page.locator("#reply button[type=submit]").click()
    expect(page.locator(".post").last).to_contain_text(shown or text)


def _until(page, check, seconds=10):
    # Route handlers run while Playwright waits: poll what they recorded.
    for _ in range(seconds * 10):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out")


def _jpeg() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "pink").save(buffer, format="JPEG")
    return {"name": "nails.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_the_chat_reconnects_after_a_server_error_and_catches_up(browser, asgi_server, site_tree,
                                                                 people):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei, _otto = people
    context, page = _page(browser, base, mei)
    sockets = _routed(context, "/ws/chat/")
    page.goto(base + "/chat/members/")
    state = page.locator("[data-chat-state]")
    expect(state).to_have_attribute("data-state", "online")
    page.get_by_label("Your message").fill("before")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator("[data-chat-messages] .chat-body")).to_have_text(["before"])

    sockets[0].close(code=4500)  # portal.websocket.SERVER_ERROR
    _until(page, lambda: len(sockets) == 2)
    expect(state).to_have_attribute("data-state", "online")
    assert re.search(r"\?after=\d+$", sockets[1].url)  # what came after the last message seen
    page.get_by_label("Your message").fill("after")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator("[data-chat-messages] .chat-body")).to_have_text(["before", "after"])
    expect(page.locator(".chat-msg.pending")).to_have_count(0)
    context.close()


def test_a_topic_reconnects_after_a_server_error_and_shows_the_next_post(browser, asgi_server,
                                                                         site_tree, forums, people):
    base = asgi_server["url"]
    mei, otto = people
    topic = _topic(mei)
    mei_context, page = _page(browser, base, mei)
    sockets = _routed(mei_context, "/ws/topics/")
    page.goto(base + topic.get_absolute_url())
    page.wait_for_load_state("networkidle")
    sockets[0].close(code=4500)
    _until(page, lambda: len(sockets) == 2)

    otto_context, otto_page = _page(browser, base, otto)
    _reply(otto_page, base, topic, "Cuticle oil, every night.")
    expect(page.locator("[data-live-notice] a")).to_have_text("1 new post")
    mei_context.close()
    otto_context.close()


def test_an_events_seats_reconnect_after_a_server_error_and_follow_registrations(
        browser, asgi_server, site_tree, store, people):
    base = asgi_server["url"]
    mei, otto = people
    event = _event(site_tree, store)
    mei_context, page = _page(browser, base, mei)
    sockets = _routed(mei_context, "/ws/events/")
    page.goto(f"{base}/events/{event.slug}/")
    seats = page.locator("[data-event-seats] [data-seats-left]")
    expect(seats).to_have_text("5")
    page.wait_for_load_state("networkidle")
    sockets[0].close(code=4500)
    _until(page, lambda: len(sockets) == 2)

    otto_context, otto_page = _page(browser, base, otto)
    otto_page.goto(f"{base}/events/{event.slug}/")
    otto_page.get_by_role("button", name="Register").click()
    expect(otto_page.locator("[data-my-status]")).to_have_text("Confirmed")
    expect(seats).to_have_text("4")
    mei_context.close()
    otto_context.close()


def test_a_topic_back_online_reconnects_at_once(browser, asgi_server, site_tree, forums, people):
    base = asgi_server["url"]
    mei, otto = people
    topic = _topic(mei)
    mei_context, page = _page(browser, base, mei)
    sockets = _routed(mei_context, "/ws/topics/")
    page.goto(base + topic.get_absolute_url())
    page.wait_for_load_state("networkidle")
    mei_context.set_offline(True)  # the socket is closed at once and not retried while offline
    page.wait_for_timeout(2000)
    assert len(sockets) == 1
    mei_context.set_offline(False)
    _until(page, lambda: len(sockets) == 2, seconds=1)  # not after the backoff

    otto_context, otto_page = _page(browser, base, otto)
    _reply(otto_page, base, topic, "Cuticle oil, every night.")
    expect(page.locator("[data-live-notice] a")).to_have_text("1 new post")
    mei_context.close()
    otto_context.close()


def test_a_socket_refused_for_good_is_not_retried(browser, asgi_server, site_tree, store, people):
    base = asgi_server["url"]
    mei, _otto = people
    event = _event(site_tree, store)
    context, page = _page(browser, base, mei)
    sockets = _routed(context, "/ws/")  # the event's seats and the bell
    page.goto(f"{base}/events/{event.slug}/")
    _until(page, lambda: len(sockets) == 2)
    page.wait_for_load_state("networkidle")
    codes = {"/ws/notifications/": 4403, f"/ws/events/{event.pk}/": 4404}  # not allowed; no such address
    for socket in sockets:
        socket.close(code=codes[socket.url.removeprefix(base.replace("http", "ws"))])
    page.wait_for_timeout(3000)  # past the backoff's first two steps
    assert len(sockets) == 2
    context.close()


def test_a_live_post_is_the_card_a_reload_shows(browser, asgi_server, artifacts_dir, site_tree, forums,
                                                people):
    base = asgi_server["url"]
    mei, otto = people
    topic = _topic(mei)
    mei_context, page = _page(browser, base, mei)
    page.goto(base + topic.get_absolute_url())
    page.wait_for_load_state("networkidle")  # the topic's socket is connected

    otto_context, otto_page = _page(browser, base, otto)
    _reply(otto_page, base, topic, "Fresh from **Xinyi**, @Mei", photo=_jpeg(), shown="Fresh from Xinyi")
    notice = page.locator("[data-live-notice] a")
    expect(notice).to_have_text("1 new post")
    notice.click()
    live = page.locator(".post").last
    expect(live).to_be_visible()
    expect(live.locator("img.post-image")).to_be_visible()  # what the hand-built card never showed
    post_id = live.get_attribute("data-post-id")
    shown = """el => {
        const copy = el.cloneNode(true);
        copy.classList.remove("fade-in");  // the live card's entrance
        return copy.outerHTML;
    }"""
    live_html = live.evaluate(shown)
    page.screenshot(path=str(artifacts_dir / "live-post-card-390.png"), full_page=True)
    page.reload()
    assert page.locator(f"#post-{post_id}").evaluate(shown) == live_html
    assert "is-new" in live_html and "<strong>Xinyi</strong>" in live_html
    mei_context.close()
    otto_context.close()
