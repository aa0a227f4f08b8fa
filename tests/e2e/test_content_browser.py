import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect
from wagtail.models import GroupPagePermission

from content.models import CareTipIndexPage
from portal import roles
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _editor_who_may_publish(home):
    """Flushes remove the groups Wagtail's migrations set up, so grant them again here."""
    editor = make_user("editor@example.com", roles.EDITORS, roles.MODERATORS,
                       display_name="Eddie")
    for name in (roles.EDITORS, roles.MODERATORS):
        group = Group.objects.get(name=name)
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(
                group=group, page=home,
                permission=Permission.objects.get(codename=codename,
                                                  content_type__app_label="wagtailcore"))
    return editor


def test_editor_creates_and_publishes_a_care_tip(page, asgi_server, artifacts_dir, site_tree):
    base = asgi_server["url"]
    index = site_tree.add_child(instance=CareTipIndexPage(title="Care tips", slug="tips"))
    _editor_who_may_publish(site_tree)

    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.locator("input[name=login]").fill("editor@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile("/admin/$"))

    page.goto(f"{base}/admin/pages/add/content/caretippage/{index.pk}/")
    page.locator("#id_title").fill("Cuticle oil every night")
    page.locator("#id_summary").fill("每天一滴指緣油，指甲不易斷裂。")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("published")
    page.screenshot(path=str(artifacts_dir / "content-admin-published.png"))

    page.goto(base + "/tips/")
    link = page.get_by_role("link", name=re.compile("Cuticle oil every night"))
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuticle oil every night")
    expect(page.locator(".breadcrumbs")).to_contain_text("Care tips")
