import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _verification_link(mail_dir: Path) -> str:
    for message in sorted(mail_dir.glob("*.log")):
        found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.read_text())
        if found:
            return found.group(0)
    raise AssertionError("no verification e-mail was written")


def test_sign_up_verify_sign_in_and_switch_language(page, asgi_server, artifacts_dir, site_tree):
    base = asgi_server["url"]
    page.goto(base + "/accounts/signup/")
    page.get_by_label(re.compile("^Email")).fill("browser@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/accounts/confirm-email/"))

    link = _verification_link(asgi_server["mail"])
    page.goto(base + "/" + link.split("/", 3)[3])
    page.locator("main form button[type=submit]").click()

    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill("browser@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/me/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    page.goto(base + "/")
    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("#site-nav")).to_contain_text("護理知識")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts_dir / "home-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts_dir / "home-390.png"), full_page=True)
    # The mobile menu opens from its toggle and is keyboard reachable.
    page.locator(".nav-toggle").click()
    expect(page.locator("#site-nav")).to_be_visible()
