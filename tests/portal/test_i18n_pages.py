"""Under 繁體中文 the house lines and the two-factor pages read Chinese; an editor's own words stay."""

import re

import pytest
from django.urls import reverse

from content.models import HomePage
from events.models import EventIndexPage
from tests.factories import PASSWORD


def _in(client, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def _main(response) -> str:
    """The text a reader sees in the page's main part (its tags and attributes left out)."""
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return re.sub(r"<[^>]*>", " ", main)


@pytest.mark.django_db
def test_the_seeded_hero_is_cleared_and_says_its_lines_in_the_readers_language(client, site_tree):
    home = HomePage.objects.get(pk=site_tree.pk)
    assert (home.hero_title, home.hero_text) == ("", "")  # content 0007 cleared the seeded English
    english = _main(client.get("/"))
    assert "Care that fits your life" in english and "learn, talk and meet us in store" in english
    chinese = _main(_in(client, "zh-hant").get("/"))
    assert "貼近生活的細心照顧" in chinese
    assert "Care that fits your life" not in chinese and "meet us in store" not in chinese


@pytest.mark.django_db
def test_an_editors_hero_is_shown_as_written(client, site_tree):
    home = HomePage.objects.get(pk=site_tree.pk)
    home.hero_title, home.hero_text = "Spring at Tend", "Ten stores, one calm hour."
    home.save_revision().publish()
    chinese = _main(_in(client, "zh-hant").get("/"))
    assert "Spring at Tend" in chinese and "Ten stores, one calm hour." in chinese


@pytest.mark.django_db
def test_a_blank_events_introduction_is_the_house_line_in_the_readers_language(client, site_tree):
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    assert "Experience days, meetups and trainings" in _main(client.get(index.url))
    chinese = _main(_in(client, "zh-hant").get(index.url))
    assert "體驗日" in chinese and "Experience days" not in chinese
    index.intro = "Our own words."
    index.save_revision().publish()
    assert "Our own words." in _main(client.get(index.url))


@pytest.mark.django_db
def test_the_two_factor_pages_say_authenticator_in_chinese(client, member, site_tree):
    client.force_login(member)
    _in(client, "zh-hant")
    # Setting up an authenticator asks for the password again first.
    reauthenticated = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert reauthenticated.status_code == 302
    for url in ("/accounts/2fa/", "/accounts/2fa/totp/activate/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "驗證器" in _main(response), url
        assert "authenticator" not in _main(response).lower(), url
