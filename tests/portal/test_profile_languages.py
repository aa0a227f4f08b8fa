import pytest
from django.conf import settings


@pytest.mark.django_db
def test_profile_names_each_language_in_itself_with_its_lang(client, member, site_tree):
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hant"
    html = client.get("/me/profile/").content.decode()
    # A Chinese page names English in English, marked as English for screen readers (WCAG 3.1.2).
    assert '<option value="en" lang="en">English</option>' in html
    assert '<option value="zh-hant" lang="zh-Hant">繁體中文</option>' in html


@pytest.mark.django_db
def test_profile_language_still_saves(client, member, site_tree):
    client.force_login(member)
    response = client.post("/me/profile/", {"display_name": "Mei", "language": "zh-hant"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "zh-hant"
