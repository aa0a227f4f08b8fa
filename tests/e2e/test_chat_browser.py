"""Two people chat; one goes offline, types, comes back: nothing is lost or doubled."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from playwright.sync_api import expect

from community.chat import selectors as chat_selectors
from community.chat import services as chat_services
from community.chat.models import Message, Room
from community.models import MessageReport
from portal import roles
from tests.factories import make_user
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in_page(browser, base, user):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    value = session_cookie(user).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}])
    page = context.new_page()
    page.goto(base + "/chat/members/")
    expect(page.locator("[data-chat-state]")).to_have_attribute("data-state", "online")
    return context, page


def _say(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def test_offline_messages_are_sent_once_on_reconnect(browser, asgi_server, site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    otto = make_user("otto@example.com", roles.MEMBERS, display_name="Otto")
    context_a, page_a = _signed_in_page(browser, base, mei)
    context_b, page_b = _signed_in_page(browser, base, otto)
    messages_b = page_b.locator("[data-chat-messages] .chat-body")

    _say(page_a, "hello Otto")
    expect(messages_b).to_have_text(["hello Otto"])

    context_b.set_offline(True)
    expect(page_b.locator("[data-chat-state]")).to_have_attribute("data-state", "offline")
    _say(page_b, "typed offline 1")
    _say(page_b, "typed offline 2")
    _say(page_a, "while you were away")
    expect(page_b.locator(".chat-msg.pending")).to_have_count(2)

    context_b.set_offline(False)
    expected = ["hello Otto", "while you were away", "typed offline 1", "typed offline 2"]
    expect(messages_b).to_have_text(expected, timeout=15000)
    expect(page_a.locator("[data-chat-messages] .chat-body")).to_have_text(expected)
    expect(page_b.locator(".chat-msg.pending")).to_have_count(0)
    # The live region announced the other person's message.
    expect(page_b.locator("[data-chat-live]")).not_to_be_empty()
    context_a.close()
    context_b.close()


def test_message_beside_a_person_in_the_room_opens_a_direct_conversation(browser, asgi_server,
                                                                          site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    otto = make_user("otto@example.com", roles.MEMBERS, display_name="Otto")
    context_a, page_a = _signed_in_page(browser, base, mei)
    context_b, _page_b = _signed_in_page(browser, base, otto)
    presence = page_a.locator("[data-chat-presence]")
    expect(presence).to_contain_text("Otto")
    # Beside Otto, not beside Mei herself.
    expect(presence.get_by_role("button")).to_have_count(1)
    presence.get_by_role("button", name="Message: Otto").click()
    low, high = sorted([mei.pk, otto.pk])
    expect(page_a).to_have_url(f"{base}/chat/dm-{low}-{high}/")
    expect(page_a.locator("[data-chat-state]")).to_have_attribute("data-state", "online")
    # In the direct conversation itself there is no one else to message.
    expect(page_a.locator("[data-chat-presence] button")).to_have_count(0)
    context_a.close()
    context_b.close()


def test_a_reported_message_carries_its_reason_and_the_thanks_is_no_error(browser, asgi_server,
                                                                         site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    otto = make_user("otto@example.com", roles.MEMBERS, display_name="Otto")
    context_a, page_a = _signed_in_page(browser, base, mei)
    context_b, page_b = _signed_in_page(browser, base, otto)
    _say(page_a, "buy cheap followers here")
    message = page_b.locator("[data-chat-messages] .chat-msg").filter(has_text="cheap followers")
    expect(message).to_have_count(1)
    page_b.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog {dialog.message}"))
    message.get_by_role("button", name="Report").click()
    reason = message.get_by_label("Why are you reporting this message?")
    expect(reason).to_be_focused()
    reason.press("Escape")  # changed their mind: nothing is sent
    expect(reason).to_have_count(0)
    message.get_by_role("button", name="Report").click()
    reason.fill("Spam in the lounge")
    reason.press("Enter")
    expect(reason).to_have_count(0)
    expect(page_b.locator("[data-chat-status]")).not_to_be_empty()
    expect(page_b.locator("[data-chat-error]")).to_be_empty()
    report = MessageReport.objects.get()
    assert (report.reporter_id, report.reason, report.message.body) == (
        otto.pk, "Spam in the lounge", "buy cheap followers here")
    context_a.close()
    context_b.close()


def _type_fast(page, bodies):
    # Every message submitted in one go, faster than any typist: the outbox holds them all at once.
    page.evaluate("""(bodies) => {
        const input = document.querySelector("[data-chat-form] textarea");
        for (const body of bodies) {
            input.value = body;
            input.form.requestSubmit();
        }
    }""", bodies)


@pytest.mark.parametrize("pace", [0, 1 / 3], ids=["as-fast-as-possible", "three-a-second"])
def test_thirty_typed_messages_are_stored_once_each_in_typed_order(browser, asgi_server, site_tree, pace):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context, page = _signed_in_page(browser, base, mei)
    bodies = [f"message {i:02}" for i in range(30)]
    if pace:
        for body in bodies:
            _say(page, body)
            page.wait_for_timeout(pace * 1000)
    else:
        _type_fast(page, bodies)
        # Shown at once, before the server has answered.
        expect(page.locator(".chat-msg.pending")).not_to_have_count(0)
    # Past the rate limit's burst the server says when to resend; the page waits and resends.
    expect(page.locator("[data-chat-messages] .chat-body")).to_have_text(bodies, timeout=30000)
    expect(page.locator(".chat-msg.pending")).to_have_count(0)
    expect(page.locator(".chat-msg.failed")).to_have_count(0)
    stored = list(Message.objects.filter(author=mei).order_by("seq").values_list("body", flat=True))
    assert stored == bodies
    context.close()


def test_a_refused_message_stays_on_screen_with_retry(browser, asgi_server, site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context, page = _signed_in_page(browser, base, mei)
    # Past the textarea's maxlength (a pasted text, an old page): the server refuses it for good.
    _type_fast(page, ["x" * 2001, "after the long one"])
    failed = page.locator(".chat-msg.failed")
    expect(failed).to_contain_text("Messages are at most 2,000 characters.")
    expect(page.locator("[data-chat-messages] .chat-body")).to_have_text(["after the long one"])
    failed.get_by_role("button", name="Retry").click()
    expect(failed).to_have_count(1)  # refused again, still there: nothing typed is lost
    assert list(Message.objects.values_list("body", flat=True)) == ["after the long one"]
    context.close()


def test_a_queue_typed_offline_goes_out_in_order_on_reconnect(browser, asgi_server, site_tree):
    # More than the rate limit's burst waits in the outbox: the rate limit paces it, refuses none for good.
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context, page = _signed_in_page(browser, base, mei)
    context.set_offline(True)
    expect(page.locator("[data-chat-state]")).to_have_attribute("data-state", "offline")
    bodies = [f"queued {i:02}" for i in range(chat_services.RATE_BURST + 5)]
    _type_fast(page, bodies)
    expect(page.locator(".chat-msg.pending")).to_have_count(len(bodies))
    context.set_offline(False)
    expect(page.locator("[data-chat-messages] .chat-body")).to_have_text(bodies, timeout=30000)
    expect(page.locator(".chat-msg.pending")).to_have_count(0)
    assert list(Message.objects.order_by("seq").values_list("body", flat=True)) == bodies
    context.close()


# A messenger's feel (issue 19, part 7): times, days, runs of messages, "load older", the layout.

def _room_page(browser, base, user, path, language="en", **context_options):
    context_options.setdefault("viewport", {"width": 390, "height": 844})
    context = browser.new_context(**context_options)
    value = session_cookie(user).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base},
                         {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    page = context.new_page()
    page.goto(base + path)
    expect(page.locator("[data-chat-state]")).to_have_attribute("data-state", "online")
    return context, page


def _stored(room, *said):
    """Messages written straight to the database, each (author, body, created_at), after the room's last."""
    for author, body, created in said:
        room.last_seq += 1
        Message.objects.create(room=room, seq=room.last_seq, author=author, body=body, created_at=created,
                               client_id=f"seed-{room.pk}-{room.last_seq}")
    room.save(update_fields=["last_seq"])


def _at(day, hour, minute):
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def test_times_are_in_the_site_language_and_the_room_zone(browser, asgi_server, store):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    type(store).objects.filter(pk=store.pk).update(time_zone="Europe/London")
    service = chat_services.open_service_room(member=mei, store=store)
    _stored(service, (mei, "in the store's zone", _at(5, 13, 41)))
    _stored(Room.objects.get(slug=chat_services.LOUNGE_SLUG), (mei, "in the site's zone", _at(5, 13, 41)))
    # The browser's own locale and zone are neither the page's language nor the room's zone.
    options = {"locale": "en-US", "timezone_id": "America/Los_Angeles"}
    context, page = _room_page(browser, base, mei, f"/chat/{service.slug}/", "zh-hant", **options)
    expect(page.locator(".chat-msg time")).to_have_text(["13:41"])
    page.goto(base + "/chat/members/")
    expect(page.locator(".chat-msg time")).to_have_text(["21:41"])  # settings.TIME_ZONE: Asia/Taipei
    context.close()


def test_days_are_separated_and_one_authors_run_is_grouped(browser, asgi_server, site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    otto = make_user("otto@example.com", roles.MEMBERS, display_name="Otto")
    # Taipei days: 5 January 18:00-18:10, then 6 January 08:30 (00:30 UTC).
    _stored(Room.objects.get(slug=chat_services.LOUNGE_SLUG),
            (mei, "first", _at(5, 10, 0)), (mei, "two minutes on", _at(5, 10, 2)),
            (otto, "otto answers", _at(5, 10, 3)), (otto, "much later", _at(5, 10, 10)),
            (otto, "next morning", _at(6, 0, 30)))
    context, page = _room_page(browser, base, mei, "/chat/members/")
    rows = page.locator("[data-chat-messages] > li")
    expect(rows).to_have_count(7)
    shape = rows.evaluate_all(
        "els => els.map(el => el.classList.contains('chat-day') ? 'day ' + el.textContent"
        " : (el.classList.contains('follow') ? '+ ' : '') + el.querySelector('.chat-body').textContent)")
    assert shape == ["day Jan 5, 2026", "first", "+ two minutes on", "otto answers", "much later",
                     "day Jan 6, 2026", "next morning"]
    # A follow-up shows neither name nor time; the first of a run shows both.
    expect(page.locator(".chat-msg.follow .chat-byline")).to_be_hidden()
    expect(page.locator(".chat-msg").first.locator(".chat-byline")).to_contain_text("Mei")
    context.close()


def test_load_older_shows_only_when_there_is_more(browser, asgi_server, site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context, page = _room_page(browser, base, mei, "/chat/members/")
    expect(page.locator("[data-chat-empty]")).to_be_visible()
    expect(page.get_by_role("button", name="Load older messages")).to_be_hidden()
    count = chat_selectors.HISTORY_PAGE + 10
    _stored(Room.objects.get(slug=chat_services.LOUNGE_SLUG),
            *[(mei, f"m{i}", _at(5, 10, 0) + timedelta(minutes=i)) for i in range(count)])
    page.reload()
    older = page.get_by_role("button", name="Load older messages")
    expect(older).to_be_visible()
    older.click()
    expect(page.locator(".chat-msg")).to_have_count(count)
    expect(older).to_be_hidden()
    context.close()


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_the_composer_stays_on_screen_in_a_long_room(browser, asgi_server, site_tree, size, artifacts_dir):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    _stored(Room.objects.get(slug=chat_services.LOUNGE_SLUG),
            *[(mei, f"message {i}\nwith a second line", _at(5, 10, 0) + timedelta(minutes=7 * i))
              for i in range(100)])
    width, height = size
    viewport = {"width": width, "height": height}
    context, page = _room_page(browser, base, mei, "/chat/members/", viewport=viewport)
    expect(page.locator(".chat-msg")).to_have_count(chat_selectors.HISTORY_PAGE)
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send["y"] >= 0 and send["y"] + send["height"] <= height, send
    assert send["x"] >= 0 and send["x"] + send["width"] <= width, send
    # The page itself does not scroll; the log does, and opens at the newest message.
    assert page.evaluate("document.scrollingElement.scrollHeight") <= height
    expect(page.locator(".chat-msg").last).to_be_in_viewport()
    # Once laid out (the log keeps to the newest message as it and its messages settle), the newest
    # message shows whole.
    page.wait_for_function("""() => {
        const log = document.querySelector("[data-chat-log]").getBoundingClientRect();
        const last = [...document.querySelectorAll(".chat-msg")].pop();
        return last.getBoundingClientRect().bottom <= log.bottom + 1;
    }""", timeout=3000)
    page.screenshot(path=str(artifacts_dir / f"chat-long-room-{width}x{height}.png"))
    context.close()


def test_enter_sends_shift_enter_breaks_and_up_edits_the_last_message_in_place(browser, asgi_server,
                                                                              site_tree):
    chat_services.ensure_lounges()
    base = asgi_server["url"]
    mei = make_user("mei@example.com", roles.MEMBERS, display_name="Mei")
    context, page = _room_page(browser, base, mei, "/chat/members/")
    composer = page.get_by_label("Your message")
    composer.type("two")
    composer.press("Shift+Enter")
    composer.type("lines")
    composer.press("Enter")
    _say(page, "**helo**")
    bodies = page.locator("[data-chat-messages] .chat-body")
    expect(bodies).to_have_text(["two\nlines", "helo"])
    expect(bodies.last.locator("strong")).to_have_text("helo")  # light Markdown
    # One's own messages sit on the right of the log, as in a messenger.
    assert page.evaluate("""() => {
        const log = document.querySelector("[data-chat-log]").getBoundingClientRect();
        const mine = document.querySelector(".chat-msg.mine").getBoundingClientRect();
        return log.right - mine.right < 30 && mine.left - log.left > 30;
    }""")
    # Up in the empty composer: the last message opens for editing in place (no browser prompt).
    page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog {dialog.message}"))
    composer.press("ArrowUp")
    editor = page.get_by_label("Edit your message")
    expect(editor).to_be_focused()
    expect(editor).to_have_value("**helo**")  # as written, not as shown
    editor.press("Escape")  # cancels: nothing sent, the composer has the focus again
    expect(editor).to_have_count(0)
    expect(composer).to_be_focused()
    composer.press("ArrowUp")
    editor.fill("**hello**")
    editor.press("Enter")
    expect(bodies).to_have_text(["two\nlines", "hello"])
    expect(page.locator(".chat-msg").last).to_contain_text("edited")
    assert list(Message.objects.order_by("seq").values_list("body", flat=True)) == ["two\nlines", "**hello**"]
    context.close()
