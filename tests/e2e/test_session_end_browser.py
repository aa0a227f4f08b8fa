"""Signing out in one tab ends the chat in another: it says so and does not reconnect."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from community.chat import services as chat_services
from portal import roles
from tests.factories import make_user
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_out_elsewhere_stops_the_chat_without_a_reconnect_loop(browser, asgi_server, site_tree,
                                                                        artifacts_dir):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    value = session_cookie(mei).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}])
    chat = context.new_page()
    chat.goto(base + "/chat/members/")
    expect(chat.locator("[data-chat-state]")).to_have_attribute("data-state", "online")
    notice = chat.locator("[data-session-ended]")
    expect(notice).to_be_hidden()

    other_tab = context.new_page()
    other_tab.goto(base + "/me/")
    other_tab.locator(".account-menu summary").click()
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.wait_for_url(lambda url: "/me/" not in url)

    expect(notice).to_be_visible(timeout=5000)
    expect(notice).to_contain_text("You were signed out. Reload to continue.")
    expect(chat.get_by_label("Your message")).to_be_disabled()
    expect(chat.locator("[data-chat-state]")).to_be_hidden()  # not "Connected", not "Offline"
    # Neither the chat nor the bell reconnects: no new socket within the backoff's first steps.
    reopened = []
    chat.on("websocket", lambda ws: reopened.append(ws.url))
    chat.wait_for_timeout(3000)
    assert reopened == []
    chat.screenshot(path=str(artifacts_dir / "session-ended-chat-390.png"))
    notice.get_by_role("button", name="Reload").click()
    chat.wait_for_load_state()
    expect(chat.locator("[data-session-ended]")).to_have_count(0)  # signed out: no chat, no notice
    context.close()
