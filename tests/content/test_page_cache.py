"""The anonymous page cache (portal.caching.pages): hits cost no query, and nothing is stale or shared."""

import pytest
from django.test import Client

from portal.caching.pages import TOKEN

pytestmark = pytest.mark.django_db


def test_second_anonymous_view_is_a_hit_without_queries(client, add_tip, django_assert_num_queries):
    tip = add_tip("Cuticle oil 指緣油")
    assert client.get(tip.url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(tip.url)
    assert response["X-Page-Cache"] == "hit"
    assert "Cuticle oil 指緣油" in response.content.decode()


def test_publishing_an_edit_or_unpublishing_shows_at_once(client, add_tip, add_story):
    tip = add_tip("Old title")
    client.get(tip.url)
    client.get("/tips/")
    tip.title = "New title"
    tip.save_revision().publish()
    assert "New title" in client.get(tip.url).content.decode()
    assert "New title" in client.get("/tips/").content.decode()  # the index lists it too
    tip.unpublish()
    assert client.get(tip.url).status_code == 404


def test_an_edit_shows_even_after_the_cache_lost_the_generation(client, add_tip):
    """Redis may evict the generation key while pages stored under it live on: the generation that
    comes back must be new, never the old one again."""
    from django.core.cache import cache

    from portal.caching.pages import GENERATION_KEY

    tip = add_tip("Old title")
    cache.delete(GENERATION_KEY)  # lost once: the page is stored under the one that came back
    assert client.get(tip.url)["X-Page-Cache"] == "miss"
    cache.delete(GENERATION_KEY)  # and lost again
    tip.title = "New title"
    tip.save_revision().publish()
    assert "New title" in client.get(tip.url).content.decode()


def test_signed_in_members_are_never_served_the_anonymous_copy(client, add_tip, member):
    tip = add_tip()
    client.get(tip.url)
    client.get(tip.url)
    client.force_login(member)
    response = client.get(tip.url)
    assert "X-Page-Cache" not in response
    assert member.display_name in response.content.decode()


def test_signed_in_pages_are_not_stored_for_anonymous_visitors(client, add_tip, member):
    tip = add_tip()
    client.force_login(member)
    client.get(tip.url)
    client.logout()
    response = client.get(tip.url)
    assert response["X-Page-Cache"] == "miss"
    assert member.display_name not in response.content.decode()


def test_a_pending_flash_message_is_rendered_not_served_from_cache(client, add_tip):
    tip = add_tip()
    client.get(tip.url)
    client.cookies["messages"] = "pending"
    assert "X-Page-Cache" not in client.get(tip.url)


def test_languages_are_cached_apart(client, add_tip):
    tip = add_tip()
    english = client.get(tip.url, headers={"accept-language": "en"})
    chinese = client.get(tip.url, headers={"accept-language": "zh-hant"})
    assert chinese["X-Page-Cache"] == "miss"
    assert english["Content-Language"] != chinese["Content-Language"]


def test_each_visitor_gets_their_own_working_csrf_token_from_the_cached_copy(add_tip):
    tip = add_tip()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(tip.url)
    hit = second.get(tip.url)
    assert hit["X-Page-Cache"] == "hit"
    tokens = [TOKEN.search(r.content).group(0) for r in (first.get(tip.url), hit)]
    assert b"@@csrf@@" not in hit.content
    assert "csrftoken" in hit.cookies
    token = TOKEN.search(hit.content).group(0).split(b'value="')[1][:-1].decode()
    switched = second.post("/i18n/setlang/", {"language": "en", "next": tip.url,
                                              "csrfmiddlewaretoken": token})
    assert switched.status_code == 302  # the visitor's own token: accepted, not a 403
    assert tokens[0] != tokens[1]


class CacheCalls:
    """The cache as `portal.caching.pages` sees it, counting its calls (each a round trip to Redis)."""

    def __init__(self, monkeypatch):
        from portal.caching import pages

        self.real, self.calls = pages.cache, []
        monkeypatch.setattr(pages, "cache", self)

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.real, name)


def test_a_hit_is_one_cache_round_trip(client, add_tip, monkeypatch):
    tip = add_tip()
    client.get(tip.url)
    calls = CacheCalls(monkeypatch)
    assert client.get(tip.url)["X-Page-Cache"] == "hit"
    assert calls.calls == ["get_many"]  # the generation and the page together


def test_a_request_that_cannot_be_a_page_pays_no_page_cache_round_trip(client, monkeypatch):
    calls = CacheCalls(monkeypatch)
    client.get("/healthz")
    client.get("/community/")
    client.post("/accounts/login/", {})
    assert calls.calls == []


def test_a_page_tree_value_from_an_older_generation_reads_as_missing():
    from portal.caching.pages import new_generation, page_tree_value

    assert page_tree_value("answer", lambda: 1) == 1
    assert page_tree_value("answer", lambda: 2) == 1
    new_generation()
    assert page_tree_value("answer", lambda: 3) == 3
