"""A 繁體中文 page's script writes Chinese: its strings come from the JavaScript catalogue."""

import re
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connections
from playwright.sync_api import expect

from community import services
from community.models import Category
from tests.factories import trusted
from tests.sockets import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def forums(transactional_db):
    # The flush of transactional tests removes the migration's forums: seed them again.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


def _page(browser, base, user, language):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    value = session_cookie(user).decode().split("=", 1)[1]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base},
                         {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
    return context, context.new_page()


def test_a_chinese_pages_live_notice_is_chinese(browser, asgi_server, artifacts_dir, site_tree, forums,
                                               member, other_member):
    base = asgi_server["url"]
    trusted(member)
    trusted(other_member)
    category = Category.objects.filter(forum__slug="members").order_by("position").first()
    # In a thread of its own: Playwright's event loop runs in this one, and the service's after-commit
    # broadcast would refuse to run beside it.
    def write():
        try:
            return services.create_topic(author=member, category=category, title="Nail care", body="Tips?")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        topic = pool.submit(write).result()
    mei_context, mei = _page(browser, base, member, "zh-hant")
    otto_context, otto = _page(browser, base, other_member, "en")
    mei.goto(base + topic.get_absolute_url())
    expect(mei.locator("html")).to_have_attribute("lang", "zh-Hant")
    # Mei's topic socket is connected before Otto answers.
    mei.wait_for_load_state("networkidle")

    otto.goto(base + topic.get_absolute_url())
    otto.locator("#reply textarea").fill("Cuticle oil, every night.")
    otto.locator("#reply button[type=submit]").click()
    expect(otto.locator(".post").last).to_contain_text("Cuticle oil")

    expect(mei.locator("[data-live-notice] a")).to_have_text("1 則新回覆")
    mei.screenshot(path=str(artifacts_dir / "i18n-live-notice-zh-390.png"))
    # The live post's time reads as the server writes the others, not in the browser's English.
    mei.locator("[data-live-notice] a").click()
    expect(mei.locator(".post.is-new time")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    mei_context.close()
    otto_context.close()
