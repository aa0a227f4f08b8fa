"""Two members chat in a direct conversation: the reader's /chat/ count, header badge and tab title
follow live, reading clears them, and a reopened room shows the unread divider."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from community.chat import services as chat_services
from portal import roles
from tests.factories import make_user
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser, base, user, path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    value = session_cookie(user).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}])
    page = context.new_page()
    page.goto(base + path)
    return context, page


def _say(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def test_unread_counts_follow_live_and_a_reopened_room_shows_the_divider(browser, asgi_server, artifacts_dir,
                                                                          site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    otto = make_user("otto@example.com", roles.MEMBERS, display_name="Otto")
    dm = chat_services.open_direct_room(user=mei, other=otto)
    context_a, writer = _page(browser, base, mei, f"/chat/{dm.slug}/")
    expect(writer.locator("[data-chat-state]")).to_have_attribute("data-state", "online")
    context_b, reader = _page(browser, base, otto, "/chat/")
    row = reader.locator(f'[data-room="{dm.slug}"] [data-unread]')
    header = reader.locator("[data-chat-count]")
    expect(row).to_be_hidden()
    expect(header).to_be_hidden()

    _say(writer, "Saturday at ten?")
    expect(row).to_have_text("1 unread")
    expect(header).to_have_text("1")
    expect(reader).to_have_title(re.compile(r"^\(1\) "))

    # Reading it in the open room clears the header and the title there.
    reader.locator(f'[data-room="{dm.slug}"] a').click()
    expect(reader.locator("[data-chat-messages] .chat-body")).to_have_text(["Saturday at ten?"])
    expect(reader.locator("[data-chat-count]")).to_be_hidden()
    expect(reader).not_to_have_title(re.compile(r"^\("))
    # Never read before this visit: no divider.
    expect(reader.locator(".chat-unread-divider")).to_have_count(0)

    reader.goto(base + "/chat/")
    expect(row).to_be_hidden()
    _say(writer, "Or eleven")
    _say(writer, "Either is fine")
    expect(row).to_have_text("2 unread")
    expect(header).to_have_text("2")
    reader.screenshot(path=str(artifacts_dir / "chat-unread-list-1280.png"))

    reader.locator(f'[data-room="{dm.slug}"] a').click()
    expect(reader.locator(".chat-unread-divider")).to_have_count(1)
    expect(reader.locator(".chat-unread-divider + li .chat-body")).to_have_text("Or eleven")
    expect(reader.locator(".chat-unread-divider")).to_be_in_viewport()
    expect(reader.locator("[data-chat-count]")).to_be_hidden()
    reader.screenshot(path=str(artifacts_dir / "chat-unread-divider-1280.png"))
    context_a.close()
    context_b.close()
