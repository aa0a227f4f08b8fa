"""The community's places on content pages and in site search."""

import datetime

import pytest

from community.models import ServiceReview, ServiceVisit
from tests.factories import make_topic


@pytest.mark.django_db
def test_home_page_lists_busy_topics(client, site_tree, questions, member):
    make_topic(questions, member, title="Nail oil that works 指緣油推薦")
    body = client.get("/").content.decode()
    assert "Nail oil that works 指緣油推薦" in body


@pytest.mark.django_db
def test_home_page_hides_providers_topics_from_members(client, site_tree, voice, provider, member):
    make_topic(voice, provider, title="Shift complaints 班表")
    client.force_login(member)
    assert "Shift complaints" not in client.get("/").content.decode()
    client.force_login(provider)
    assert "Shift complaints" in client.get("/").content.decode()


@pytest.mark.django_db
def test_store_page_shows_review_averages(client, store, member, moderator):
    visit = ServiceVisit.objects.create(member=member, store=store, recorded_by=moderator,
                                        date=datetime.date(2026, 11, 1))
    ServiceReview.objects.create(visit=visit, process=4, courtesy=5, technique=3,
                                 text="Lovely", html="<p>Lovely</p>")
    body = client.get(store.url).content.decode()
    assert "Service reviews" in body and "4.0 / 5" in body and "5.0 / 5" in body


@pytest.mark.django_db
def test_site_search_finds_topics_in_chinese_within_readable_forums(
    client, site_tree, questions, voice, member, provider
):
    make_topic(questions, member, title="凝膠美甲 lasting", body="美甲可以撐多久？")
    make_topic(voice, provider, title="Providers only 美甲 training", body="內部")
    client.force_login(member)
    body = client.get("/search/", {"q": "美甲"}).content.decode()
    assert "凝膠美甲 lasting" in body
    assert "Providers only" not in body
