"""A member posts a topic with a photo, another replies with a mention and likes it, the first sees
the reply live and in her notifications."""

import io
import re
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from PIL import Image
from playwright.sync_api import expect

from tests.factories import PASSWORD, trusted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def forums(transactional_db):
    # The flush of transactional tests removes the migration's forums: seed them again.
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


def _sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/me/$"))


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "pink").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_topic_with_image_reply_with_mention_notifies(browser, asgi_server, artifacts_dir,
                                                      site_tree, forums, member, other_member):
    base = asgi_server["url"]
    trusted(other_member)
    mei = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _sign_in(mei, base, member.email)
    mei.goto(base + "/community/members/new/")
    mei.get_by_label("Category").select_option(label="After-service show-off · 服務後曬照")
    mei.get_by_label("Title").fill("My new nails")
    mei.get_by_label("Your post").fill("Fresh from **Xinyi** today")
    mei.locator("input[name=image]").set_input_files(
        {"name": "nails.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()})
    mei.locator("main form button[type=submit]").click()
    expect(mei.locator("h1")).to_contain_text("My new nails")
    expect(mei.locator("img.post-image")).to_be_visible()
    topic_url = mei.url

    otto = browser.new_context().new_page()
    _sign_in(otto, base, other_member.email)
    otto.goto(topic_url)
    otto.get_by_label("Your post").fill("Gorgeous, @Mei!")
    otto.locator("#reply button[type=submit]").click()
    expect(otto.locator(".post").last).to_contain_text("Gorgeous")
    # Buttons post through the page's one form (its CSRF token), not a form of their own.
    like = otto.locator(".post").first.get_by_role("button", name=re.compile("Like"))
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_contain_text("1")

    # Mei, still on the topic page, sees the live notice without reloading.
    notice = mei.locator("[data-live-notice] a")
    expect(notice).to_have_text("1 new post")
    notice.click()
    expect(mei.locator(".post").last).to_contain_text("Gorgeous, @Mei!")
    mei.reload()
    expect(mei.locator("[data-bell-count]")).to_have_text("1")
    mei.screenshot(path=str(artifacts_dir / "community-topic-390.png"), full_page=True)
    mei.goto(base + "/me/notifications/")
    expect(mei.locator(".notification-list")).to_contain_text("Otto mentioned you")
