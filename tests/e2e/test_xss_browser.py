"""The XSS corpus in a real browser: every vector goes into every user-text field through the real write
path (forms and services, so sanitising at write time runs; packed several to a field, and cut to the
field's length where one is longer), then every page that shows those fields is opened in Chromium.
Nothing may run, and no handler attribute, script URL or foreign script may reach the DOM.

The context bypasses the site's CSP on purpose: the strict policy would block most injected scripts
anyway, and this test is about the markup, not about the policy catching what the markup let through.
"""

import contextlib
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from community import services
from community.chat import services as chat_services
from community.chat.models import Room
from community.models import Category, Post
from content.models import StoreIndexPage, StorePage
from content.services import add_store_staff
from events import services as event_services
from events.models import EventIndexPage, EventPage
from events.rewards import services as reward_services
from portal import roles
from portal import services as portal_services
from portal.forms import ProfileForm
from portal.models import User
from tests.hardening.xss_vectors import CANARY, VECTORS, pack
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

# Field limits, from the forms or models that guard them.
NAME_LENGTH = 60  # User.display_name
TITLE_LENGTH = 140  # TopicForm.title
BIO_LENGTH = 1000  # User.bio
REVIEW_LENGTH = 2000  # ReviewAnswer.text (reviews take 4000; the same chunks serve both)
REASON_LENGTH = 300  # MessageReport.reason, PointsEntry.note, ModerationAction.note
CAPTION_LENGTH = 200  # EventPhoto.caption, ProviderApplication.specialties
CHAT_LENGTH = 600  # under chat's 2,000; small enough that posts and edits fit one history page

# One evaluate per page: everything a successful injection would leave behind.
SCAN = """(strictScripts) => {
  const found = [];
  // What a browser ignores inside a URL scheme, and the invisible characters a vector may hide in it.
  const invisible = /[\\u0000-\\u0020\\u007f-\\u00a0\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\ufeff]/g;
  const strip = (v) => v.replace(invisible, "").toLowerCase();
  const bad = /^(javascript:|vbscript:|data:text\\/html)/;
  const urlAttrs = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "background",
                            "poster", "codebase", "cite"]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${tag}[${name}]`);
      if (name === "srcdoc") found.push(`${tag}[srcdoc]`);
      if ((urlAttrs.has(name) || name.endsWith(":href")) && bad.test(strip(attr.value))) {
        found.push(`${tag}[${name}=${attr.value.slice(0, 60)}]`);
      }
      if (name === "style" && /expression\\(|javascript:|url\\(/i.test(attr.value)) {
        found.push(`${tag}[style]`);
      }
    }
    if (["iframe", "frame", "object", "embed", "applet", "base"].includes(tag)) found.push(tag);
    if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || "")) found.push("meta refresh");
  }
  for (const script of document.scripts) {
    const src = script.getAttribute("src");
    const url = src === null ? null : new URL(src, location.href);
    // Ours: static files, and the JavaScript catalogue (portal.js_catalog) at /i18n/<lang>/<version>.js.
    const own = url !== null && url.origin === location.origin && (url.pathname.startsWith("/static/")
      || /^\\/i18n\\/[a-z-]+\\/[0-9a-f]+\\.js$/.test(url.pathname));
    // The site has no inline script (CSP); Wagtail's admin has some, and its translations at
    // /admin/jsi18n/, but never any that a vector wrote.
    const admin = !strictScripts && (url === null ? !/__xss|alert|document\\.title/.test(script.text)
      : url.origin === location.origin && url.pathname.startsWith("/admin/"));
    if (!own && !admin) found.push(`script ${src || script.text.slice(0, 60)}`);
  }
  const values = [...document.querySelectorAll("input, textarea")].map((el) => el.value);
  return {found, canary: typeof window.__xss, text: [document.body.innerText, ...values].join("\\n")};
}"""


@pytest.fixture
def forums(transactional_db):
    # The flush of transactional tests removes the migration's forums: seed them again.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "pink").save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def _person(email: str, *groups: str) -> User:
    # No password: pages are opened with a session cookie, and hashing hundreds of passwords costs seconds.
    user = User.objects.create_user(email=email, password=None)
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups or [roles.MEMBERS]))
    return user


def _name(user: User, display_name: str, bio: str = "") -> User:
    """Display name and bio through the profile form, as a member sets them."""
    form = ProfileForm({"display_name": display_name, "bio": bio, "language": "en"}, instance=user)
    assert form.is_valid(), form.errors
    return form.save()


class World:
    """The people (each named with a piece of the corpus) and the store that the writes below use."""

    def __init__(self, site_tree):
        self.names = pack(VECTORS, NAME_LENGTH)
        self.bios = pack(VECTORS, BIO_LENGTH)
        self.moderator = _name(_person("mo@example.com", roles.MODERATORS), self.names[-2])
        self.moderator.groups.get().permissions.add(Permission.objects.get(codename="access_admin"))
        self.viewer = _name(_person("mei@example.com"), self.names[0], self.bios[0])
        self.people = [
            _name(_person(f"p{i}@example.com"), name, self.bios[i] if i < len(self.bios) else "")
            for i, name in enumerate(self.names)
        ]
        index = site_tree.add_child(instance=StoreIndexPage(title="Stores", slug="stores"))
        self.store = index.add_child(instance=StorePage(title="Xinyi", slug="xinyi", address="Taipei"))
        self.staff = _name(_person("kai@example.com"), self.names[-1])
        add_store_staff(user=self.staff, store=self.store)


def _write_forum(world: World) -> dict:
    category = Category.objects.filter(forum__slug="members").order_by("position").first()
    titles = pack(VECTORS, TITLE_LENGTH)
    block, inline = "\n\n".join(VECTORS), " ".join(VECTORS)
    notes = pack(VECTORS, REASON_LENGTH - 4)  # suspend_user prefixes "<days>d "
    # Every named person opens a topic: the topic list shows every title and every author name.
    for i, person in enumerate(world.people):
        services.create_topic(author=person, category=category, title=titles[i % len(titles)], body="hi")
    cache.clear()  # the posting pace is not under test: the topics' authors reply at once
    topic = services.create_topic(author=world.viewer, category=category, title=titles[0], body=block)
    replies = [services.create_reply(author=person, topic=topic, body=body) for person, body in
               zip(world.people[1:5], (inline, f"@mei {block}", block, inline), strict=True)]
    edited, hidden = replies[2], replies[3]
    services.edit_post(editor=edited.author, post=edited, body=f"@mei {inline}")
    # New members' posts with links wait for a moderator, who lets these through.
    for post in topic.posts.filter(status=Post.Status.HELD):
        services.approve_post(moderator=world.moderator, post=post)
    services.hide_post(moderator=world.moderator, post=hidden, note=notes[0])
    links = " ".join(f"https://{n}.example.com/" for n in range(3))
    held = services.create_reply(author=world.people[5], topic=topic, body=f"{links}\n\n{block}")
    assert held.status == Post.Status.HELD
    first = topic.posts.order_by("pk").first()
    reports = pack(VECTORS, REVIEW_LENGTH)
    for reporter, text in zip(world.people[6:], reports, strict=False):
        services.report_post(reporter=reporter, post=first, reason="spam", text=text)
    for person, note in zip(world.people[-len(notes):], notes, strict=False):
        services.suspend_user(moderator=world.moderator, user=person, days=1, note=note)
    return {"topic": topic, "edited": edited}


def _write_chat(world: World) -> None:
    chat_services.ensure_lounges()
    lounge = Room.objects.get(slug=chat_services.LOUNGE_SLUG)
    chunks = pack(VECTORS, CHAT_LENGTH)
    authors = iter(world.people[10:])
    messages = []
    for i, chunk in enumerate(chunks):
        sent, _new = chat_services.post_message(author=next(authors), room=lounge, body=chunk,
                                                client_id=f"sent-{i}")
        editor = next(authors)
        draft, _new = chat_services.post_message(author=editor, room=lounge, body=f"draft {i}",
                                                 client_id=f"draft-{i}")
        messages += [sent, chat_services.edit_message(user=editor, message_id=draft.pk, body=chunk)]
    # More reasons than messages: a second reader reports the first messages again.
    for i, reason in enumerate(pack(VECTORS, REASON_LENGTH)):
        chat_services.report_message(reporter=world.viewer if i < len(messages) else world.staff,
                                     message_id=messages[i % len(messages)].pk, reason=reason)
    # A direct conversation is titled with the other person's name.
    other = next(person for person in world.people if CANARY in person.display_name)
    chat_services.open_direct_room(user=world.viewer, other=other)


def _write_reviews(world: World) -> int:
    chunks = pack(VECTORS, REVIEW_LENGTH)
    reviews = []
    for i, chunk in enumerate(chunks):
        visit = services.record_service_visit(staff=world.staff, member=world.people[20 + i],
                                              store=world.store, date=date.today() - timedelta(days=i))
        reviews.append(services.create_service_review(member=world.people[20 + i], visit=visit,
                                                      process=5, courtesy=4, technique=5, text=chunk))
        services.answer_review(author=world.staff, review=reviews[-1], text=chunk)
    return reviews[-1].pk


def _write_applications(world: World) -> User:
    chunks = pack(VECTORS, CAPTION_LENGTH)
    for person, chunk in zip(world.people[40:], chunks, strict=False):
        portal_services.apply_as_provider(user=person, specialties=chunk, years_experience=3,
                                          home_store=world.store, certificate=_jpeg())
    rejected = world.people[-1]
    application = portal_services.apply_as_provider(user=rejected, specialties=chunks[0],
                                                    years_experience=1, home_store=None,
                                                    certificate=_jpeg())
    portal_services.reject_provider_application(application_id=application.pk,
                                                moderator=world.moderator, reason="\n".join(VECTORS))
    return rejected


def _write_event_photos(world: World, site_tree) -> EventPage:
    now = timezone.now()
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    start = now + timedelta(hours=1)  # check-in opens 3 hours before the start
    event = index.add_child(instance=EventPage(
        title="Nail day", slug="nail-day", store=world.store, start=start, end=start + timedelta(hours=2),
        capacity=5, registration_opens=now - timedelta(days=1), registration_closes=start,
        cancellation_deadline=start, audience=EventPage.Audience.MEMBERS))
    registration = event_services.register_for_event(event=event, member=world.viewer)
    event_services.check_in_attendee(code=registration.ticket_code, event=event, staff=world.staff)
    EventPage.objects.filter(pk=event.pk).update(start=now - timedelta(hours=3),
                                                 end=now - timedelta(hours=1))
    event.refresh_from_db()
    chunks = pack(VECTORS, CAPTION_LENGTH)
    for i, chunk in enumerate(chunks):
        photo = event_services.add_event_photo(event=event, member=world.viewer, image=_jpeg(),
                                               caption=chunk)
        if i % 2:  # half public on the event page, half waiting on the moderators' page
            event_services.approve_event_photo(photo_id=photo.pk, moderator=world.moderator)
    return event


def _write_points_notes(world: World) -> None:
    notes = pack(VECTORS, REASON_LENGTH)
    for note in notes:
        reward_services.adjust_points(member=world.viewer, amount=1, note=note, staff=world.moderator)


OPEN_SOCKETS = """window.__openSockets = 0;
window.WebSocket = class extends window.WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("open", () => { window.__openSockets += 1; });
  }
};"""


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# Vectors long enough not to occur in the site's own text by chance.
SHOWN_VECTORS = [v for v in VECTORS if len(_squeeze(v)) >= 12]


class Browser:
    """One context per person; every page load is scanned and what went wrong is collected by URL."""

    def __init__(self, browser, base):
        self.browser, self.base = browser, base
        self.problems: dict[str, list] = {}
        self.visited: list[str] = []

    def as_user(self, user: User):
        context = self.browser.new_context(bypass_csp=True)
        # Nothing leaves the machine: vectors point at ok.example and evil.example.
        context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:)"), lambda route: route.abort())
        value = session_cookie(user).decode().split("=", 1)[1]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": self.base}])
        # Counts open sockets, so the test knows when the page will hear live updates.
        context.add_init_script(OPEN_SOCKETS)
        page = context.new_page()
        page.on("dialog", lambda dialog: self._dialog(page.url, dialog))
        page.on("console", lambda message: self._console(page.url, message.text))
        page.on("pageerror", lambda error: self._problem(page.url, f"page error: {error}"))
        return context, page

    def _dialog(self, url: str, dialog) -> None:
        self._problem(url, f"dialog: {dialog.message}")
        # A vector's alert may still be open when the page navigates away: nothing left to dismiss.
        with contextlib.suppress(PlaywrightError):
            dialog.dismiss()

    def _console(self, url: str, text: str) -> None:
        # The site logs nothing; 404s of broken <img src=x> are expected, a vector's own output is not.
        if "__xss" in text or "XSS" in text:
            self._problem(url, f"console: {text}")

    def _problem(self, url: str, what: str) -> None:
        self.problems.setdefault(url, []).append(what)

    def check(self, page, path: str, *, ready=None, strict_scripts: bool = True) -> None:
        response = page.goto(self.base + path)
        assert response.status == 200, f"{path}: {response.status}"
        if ready is not None:
            ready(page)
        result = page.evaluate(SCAN, strict_scripts)
        self.visited.append(path)
        if result["found"]:
            self._problem(page.url, result["found"])
        if result["canary"] != "undefined":
            self._problem(page.url, "window.__xss was set")
        # Vectors are on the page, as text: the scan looked at the corpus, not at an empty page.
        shown = _squeeze(result["text"])
        assert any(_squeeze(v) in shown for v in SHOWN_VECTORS), f"{path} shows no vector"


def _in_thread(write, *args):
    """Services broadcast with async_to_sync after commit, which refuses to run in the thread where
    Playwright's event loop runs: write from another thread (its own connection, closed after)."""

    def run():
        try:
            return write(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _write_all(site_tree) -> tuple:
    world = World(site_tree)
    forum = _write_forum(world)
    cache.clear()  # chat's rate limit is not under test: every author starts a fresh window
    _write_chat(world)
    review_id = _write_reviews(world)
    rejected = _write_applications(world)
    event = _write_event_photos(world, site_tree)
    _write_points_notes(world)
    return world, forum, review_id, rejected, event


def test_no_vector_runs_on_any_page_that_shows_user_text(browser, asgi_server, site_tree, forums):
    world, forum, review_id, rejected, event = _in_thread(_write_all, site_tree)

    run = Browser(browser, asgi_server["url"])
    topic, edited = forum["topic"], forum["edited"]
    context, page = run.as_user(world.viewer)
    for path in ["/", "/me/", "/me/notifications/", "/me/notifications/?page=2", "/me/points/",
                 "/me/points/?page=2", "/me/profile/", "/community/members/",
                 "/community/members/?page=2", "/community/members/?page=3",
                 topic.get_absolute_url(),
                 "/stores/xinyi/", event.url, "/chat/",
                 "/search/?q=" + "%22%3E%3Cimg+src%3Dx+onerror%3Dwindow.__xss%3D1%3E",
                 "/search/?q=script"]:
        run.check(page, path)
    run.check(page, "/chat/members/", ready=lambda p: expect(
        p.locator("[data-chat-messages] .chat-body")).to_have_count(2 * len(pack(VECTORS, CHAT_LENGTH))))
    # A reply that arrives while the topic is open is drawn by community.js from the socket; it is
    # written through the reply form, in the server process that broadcasts it.
    run.check(page, topic.get_absolute_url())
    page.wait_for_function("window.__openSockets >= 2")  # the bell's and the topic's
    writer_context, writer = run.as_user(world.moderator)
    writer.goto(run.base + topic.get_absolute_url())
    writer.get_by_label("Your post").fill("\n\n".join(VECTORS))
    writer.locator("#reply button[type=submit]").click()
    page.locator("[data-live-notice] a").click()
    expect(page.locator(".post")).to_have_count(topic.posts.filter(status=Post.Status.PUBLISHED).count())
    writer_context.close()
    run.visited.append(topic.get_absolute_url() + " (live reply)")
    result = page.evaluate(SCAN, True)
    assert result["found"] == [] and result["canary"] == "undefined", result["found"]
    context.close()

    for person in world.people[1:len(world.bios)]:
        context, page = run.as_user(person)
        run.check(page, "/me/profile/")
        context.close()
    context, page = run.as_user(rejected)
    run.check(page, "/me/provider/")
    run.check(page, "/me/")
    context.close()
    context, page = run.as_user(world.staff)
    run.check(page, f"/community/reviews/answer/{review_id}/")
    context.close()
    context, page = run.as_user(world.moderator)
    run.check(page, "/community/moderation/")
    run.check(page, f"/community/posts/{edited.pk}/history/")
    run.check(page, "/events/moderation/photos/")
    run.check(page, "/admin/provider-applications/", strict_scripts=False)
    run.check(page, f"/admin/rewards/ledgers/{world.viewer.pk}/", strict_scripts=False)
    context.close()

    assert run.problems == {}, "\n".join(f"{url}: {found}" for url, found in run.problems.items())
    assert len(VECTORS) > 200 and len(run.visited) >= 30, (len(VECTORS), run.visited)
