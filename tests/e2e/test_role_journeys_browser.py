"""One journey per role, in English and in Traditional Chinese: a member registers for a full event and is
promoted from the waitlist; a provider reads a course; store staff check in a ticket; a moderator handles
a report.

Every page a journey passes is photographed at 390 and 1280 px wide (test-artifacts/journeys/, for a
person reviewing a change) and read by axe-core for WCAG 2.1 A and AA: a serious or critical violation
fails the journey. In Traditional Chinese, the page as the browser shows it (scripts' words included,
which the crawl in tests/hardening cannot see) is held to the crawl's English check. Findings are
gathered and reported at the end, so one run shows them all and every screenshot is taken.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_user
from tests.hardening.page_checks import check_html, collect_user_text

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("en", "zh-hant")
WIDTHS = (390, 1280)
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")


class Journey:
    """Screenshots and axe at each stop of one role's journey in one language."""

    def __init__(self, browser, base: str, artifacts_dir, role: str, language: str):
        self.base, self.role, self.language = base, role, language
        self.folder = artifacts_dir / "journeys"
        self.folder.mkdir(exist_ok=True)
        self.context = browser.new_context(
            viewport={"width": WIDTHS[0], "height": 844},
            locale="zh-TW" if language == "zh-hant" else "en-GB",
            # Settled pages: axe measures contrast as it is drawn, mid fade-in included.
            reduced_motion="reduce",
        )
        self.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                   "url": base}])
        self.page = self.context.new_page()
        self.violations: list[str] = []
        self.stops = 0

    def sign_in(self, email: str, *, stop: bool = False):
        page = self.page
        page.goto(self.base + "/accounts/login/")
        if stop:
            self.stop("sign-in")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{self.base}/me/")
        self.stop("dashboard")

    def goto(self, path: str, name: str):
        self.page.goto(self.base + path)
        self.stop(name)

    def stop(self, name: str):
        """Photograph the page at each width and have axe read it there (layouts differ by width)."""
        self.stops += 1
        page = self.page
        page.wait_for_load_state("load")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
            stem = f"{self.role}-{self.stops:02d}-{name}-{self.language}-{width}"
            page.screenshot(path=str(self.folder / f"{stem}.png"), full_page=True)
            results = AXE.run(page, options=AXE_OPTIONS).response
            for violation in results["violations"]:
                if violation["impact"] in BLOCKING:
                    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
                    self.violations.append(
                        f"{name} ({self.language}, {width}px, {page.url.removeprefix(self.base)}): "
                        f"{violation['id']} [{violation['impact']}] {violation['help']} — {targets}")
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        if self.language != "en":
            for finding in check_html(page.content(), zh=True, user_text=collect_user_text(),
                                      site_host=self.base.split("//")[1]):
                if finding.kind == "english":
                    self.violations.append(f"{name} ({page.url.removeprefix(self.base)}): English "
                                           f"{finding.text!r} in <{finding.where}>")

    def finish(self):
        self.context.close()
        assert not self.violations, (
            "axe found serious or critical WCAG 2.1 AA violations, or English under 繁體中文:\n"
            + "\n".join(dict.fromkeys(self.violations)))


@pytest.fixture
def journey(browser, asgi_server, artifacts_dir):
    def start(role: str, language: str) -> Journey:
        return Journey(browser, asgi_server["url"], artifacts_dir, role, language)
    return start


@pytest.fixture
def store(site_tree):
    """A store as editors name it here: in both languages in one field (tests/conftest's is English)."""
    from content.models import StoreIndexPage, StorePage

    index = site_tree.add_child(instance=StoreIndexPage(title="Stores 門市", slug="stores"))
    return index.add_child(instance=StorePage(title="Tend Xinyi 信義店", slug="xinyi",
                                              address="台北市信義區松高路 11 號 2F"))


def _event(site_tree, store, **fields):
    from events.models import EventIndexPage, EventPage

    now = timezone.now()
    index = EventIndexPage.objects.first() or site_tree.add_child(
        instance=EventIndexPage(title="Events", slug="events"))
    values = {
        "title": "Gel nail experience day 凝膠指甲體驗日", "slug": "gel-day", "store": store,
        "capacity": 1, "start": now + timedelta(days=3), "end": now + timedelta(days=3, hours=2),
        "registration_opens": now - timedelta(days=1), "registration_closes": now + timedelta(days=2),
        "cancellation_deadline": now + timedelta(days=2), "reward_points": 50,
        "summary": "Try a long-lasting gel manicure 體驗持久的凝膠美甲。",
    }
    return index.add_child(instance=EventPage(**{**values, **fields}))


@pytest.mark.parametrize("language", LANGUAGES)
def test_member_joins_the_waitlist_and_is_promoted(journey, language, site_tree, store):
    from events import services
    from portal import roles

    event = _event(site_tree, store)
    holder = make_user("grace@example.com", roles.MEMBERS, display_name="Grace Chen 陳恩")
    seat = services.register_for_event(event=event, member=holder)
    make_user("mei@example.com", roles.MEMBERS, display_name="Mei Lin 林美")

    mei = journey("member", language)
    mei.sign_in("mei@example.com", stop=True)
    mei.goto(event.url, "event-full")
    mei.page.locator(".event-register form button[type=submit]").click()
    expect(mei.page.locator("[data-my-status]")).to_have_class("status status-waitlisted")
    mei.stop("event-waitlisted")

    services.cancel_registration(registration=seat, member=holder)
    mei.page.reload()
    expect(mei.page.locator("[data-my-status]")).to_have_class("status status-confirmed")
    mei.stop("event-promoted")
    mei.goto("/me/notifications/", "notifications")
    expect(mei.page.locator("main")).to_contain_text("Gel nail experience day 凝膠指甲體驗日")
    mei.goto(event.url, "event")
    mei.page.locator(".event-register a.button[href*='/me/tickets/']").click()
    expect(mei.page.locator("[data-ticket-status]")).to_be_visible()
    mei.stop("ticket")
    mei.finish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_provider_reads_a_course(journey, language, site_tree):
    from content.models import TrainingCourseIndexPage, TrainingCoursePage
    from content.services import restrict_courses
    from portal import roles

    index = site_tree.add_child(instance=TrainingCourseIndexPage(
        title="Courses 師傅培訓", slug="courses", intro="給通過認證的師傅：Tend 的標準作業與進階技巧。"))
    restrict_courses(index=index)
    course = index.add_child(instance=TrainingCoursePage(
        title="凝膠美甲基礎認證 Gel fundamentals", slug="gel-fundamentals",
        summary="甲面處理、上膠與照燈、卸甲與衛生規範。",
        lessons=[{"type": "lesson", "value": {
            "title": title, "summary": text, "video": None, "documents": [],
            "steps": [{"title": title, "text": f"<p>{text}</p>", "image": None}]}}
            for title, text in [("甲面處理與衛生", "工具消毒、甲面清潔與推甘皮。"),
                                ("上膠與照燈", "薄塗三層的原則與常見失誤。")]],
    ))
    make_user("pia@example.com", roles.MEMBERS, roles.PROVIDERS, display_name="Yu-Ting Wang 王雨婷")

    pia = journey("provider", language)
    pia.sign_in("pia@example.com")
    pia.goto(index.url, "courses")
    pia.page.locator(f"main a[href='{course.url}']").first.click()
    expect(pia.page.locator("h1")).to_have_text(course.title)
    pia.stop("course")
    # The lessons read as text, not as the StreamField's Python form.
    expect(pia.page.locator("main")).not_to_contain_text("StructValue")
    expect(pia.page.locator("main")).to_contain_text("工具消毒、甲面清潔與推甘皮。")
    pia.finish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_store_staff_check_in_a_ticket(journey, language, site_tree, store):
    from content.services import add_store_staff
    from events import services
    from portal import roles

    now = timezone.now()
    event = _event(site_tree, store, capacity=8, start=now + timedelta(hours=1),
                   end=now + timedelta(hours=3), registration_closes=now + timedelta(minutes=30),
                   cancellation_deadline=now + timedelta(minutes=30))
    member = make_user("mei@example.com", roles.MEMBERS, display_name="Mei Lin 林美")
    ticket = services.register_for_event(event=event, member=member)
    add_store_staff(user=make_user("kai@example.com", display_name="Kai Huang 黃凱"), store=store)

    kai = journey("staff", language)
    kai.sign_in("kai@example.com")
    kai.goto("/checkin/", "checkin-events")
    kai.page.locator(f"a[href='/checkin/{event.pk}/']").click()
    kai.stop("checkin-form")
    kai.page.fill("input[name=code]", ticket.ticket_code)
    kai.page.locator("main form button[type=submit]").last.click()
    expect(kai.page.locator("[data-checkin-result]")).to_have_attribute("data-checkin-result", "ok")
    expect(kai.page.locator(".checkin-name")).to_have_text("Mei Lin 林美")
    kai.stop("checkin-done")
    kai.goto(f"/events/{event.pk}/attendees/", "attendees")
    kai.finish()


@pytest.mark.parametrize("language", LANGUAGES)
def test_moderator_handles_a_report(journey, language, site_tree):
    from importlib import import_module

    from django.apps import apps as django_apps

    from community import services
    from community.models import Category, Forum, Post
    from portal import roles
    from tests.factories import make_topic

    # The flush of transactional tests removes the migration's forums: seed them again.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)
    forum = Forum.objects.get(slug="members")
    author = make_user("owen@example.com", roles.MEMBERS, display_name="Owen Lee 李歐文")
    topic = make_topic(Category.objects.filter(forum=forum).first(), author,
                       title="Cheap gel kits 便宜凝膠組", body="Buy gel kits at my shop, link in bio!")
    reporter = make_user("mei@example.com", roles.MEMBERS, display_name="Mei Lin 林美")
    services.report_post(reporter=reporter, post=topic.posts.first(), reason="spam",
                         text="An advertisement 廣告")
    make_user("mo@example.com", roles.MODERATORS, display_name="Max Moderator")

    mo = journey("moderator", language)
    mo.sign_in("mo@example.com")
    mo.goto("/community/moderation/", "moderation-queue")
    report = mo.page.locator(".mod-queue").first.locator("li.card").first
    expect(report).to_contain_text("An advertisement 廣告")
    report.locator("form[action$='/hide/'] button[type=submit]").click()
    expect(mo.page.locator(".mod-queue").first.locator("li.empty")).to_be_visible()
    mo.stop("moderation-handled")
    assert Post.objects.get(pk=topic.posts.first().pk).status == "hidden"
    mo.goto(topic.posts.first().get_absolute_url(), "topic-with-hidden-post")
    mo.finish()
