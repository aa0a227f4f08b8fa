"""The header and footer (portal.templatetags.chrome) are rendered once per language and kind of
visitor, and each page puts in its visitor's own name, bell count, address and CSRF token."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import RequestFactory

from portal import notifications, roles, services
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def test_each_visitor_sees_their_own_name_count_and_token(client, site_tree):
    notifications.register_kind("test_in_app", "Test", notifications.IN_APP)
    first = make_user("first@example.com", roles.MEMBERS, display_name="<b>First</b>")
    second = make_user("second@example.com", roles.MEMBERS, display_name="Second")
    services.notify(second, "test_in_app", "One")
    services.notify(second, "test_in_app", "Two")
    client.force_login(first)
    header = _header(client.get("/me/").content.decode())
    assert "&lt;b&gt;First&lt;/b&gt;" in header and "<b>First" not in header
    assert "data-bell-count hidden>0</span>" in header
    client.force_login(second)
    response = client.get("/me/?x=%22y")
    header = _header(response.content.decode())
    assert "<summary>Second</summary>" in header and "First" not in header
    assert "data-bell-count >2</span>" in header
    assert 'name="next" value="/me/?x=%22y"' in header
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header))
    assert len(tokens) == 1 and "@@" not in tokens.pop()


def test_roles_and_language_choose_the_copy(client, site_tree):
    provider = make_user("pro@example.com", roles.PROVIDERS)
    member = make_user("mem@example.com", roles.MEMBERS)
    client.force_login(provider)
    assert 'href="/courses/"' in _header(client.get("/me/").content.decode())
    client.force_login(member)
    header = _header(client.get("/me/").content.decode())
    assert 'href="/courses/"' not in header and 'value="zh-hant"' in header
    header = _header(client.get("/me/?lang=zh-hant").content.decode())
    assert 'value="en"' in header and 'href="/courses/"' not in header


def test_a_visitor_s_sign_in_link_keeps_their_address(client, site_tree):
    header = _header(client.get("/accounts/login/?next=/me/%3Fa%3Db").content.decode())
    assert "/accounts/login/?next=/accounts/login/%3Fnext%3D/me/%253Fa%253Db" in header


def test_the_chrome_reading_what_it_is_not_given_fails_loudly(settings, tmp_path):
    (tmp_path / "chrome_test.html").write_text("{{ user.email }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    from django.template import engines

    engine = engines["django"].engine
    request = RequestFactory().get("/")
    request.user = make_user("who@example.com", roles.MEMBERS)
    with pytest.raises(ImproperlyConfigured):
        Template('{% load chrome %}{% chrome "chrome_test.html" %}', engine=engine).render(
            Context({"request": request, "user": request.user}))
