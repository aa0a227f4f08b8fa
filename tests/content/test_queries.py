"""Every index renders with the same number of queries for 5 and for 50 children."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Counted past the anonymous page cache: a hit costs no query whatever the page.
    settings.PAGE_CACHE_SECONDS = 0


def count_queries(client, url):
    client.get(url)  # first render makes the image renditions and fills the site cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("factory", "url", "login"),
    [
        ("add_tip", "/tips/", False),
        ("add_story", "/stories/", False),
        ("add_practitioner", "/practitioners/", False),
        ("add_store", "/stores/", False),
        ("add_course", "/courses/", True),
    ],
)
def test_index_query_count_does_not_grow_with_children(request, client, provider, factory,
                                                       url, login):
    add = request.getfixturevalue(factory)
    if login:
        client.force_login(provider)
    for _ in range(5):
        add()
    few = count_queries(client, url)
    for _ in range(45):
        add()
    assert count_queries(client, url) == few


def test_home_query_count_does_not_grow_with_content(client, add_tip, add_story, add_store):
    for _ in range(5):
        add_tip(), add_story(), add_store()
    few = count_queries(client, "/")
    for _ in range(20):
        add_tip(), add_story(), add_store()
    assert count_queries(client, "/") == few


def test_signed_in_pages_cost_only_the_session_more(client, member, add_tip, add_story, add_store):
    """The user row, roles, the bell's count and view restrictions are read once or from the cache:
    a signed-in view adds only the session row where sessions are not in Redis."""
    from django.conf import settings

    tip = None
    for _ in range(5):
        tip = add_tip()
        add_story(), add_store()
    extra = 0 if settings.SESSION_ENGINE.endswith(".cached_db") else 1
    for url in ("/", tip.url, "/stories/"):
        anonymous = count_queries(client, url)
        client.force_login(member)
        signed_in = count_queries(client, url)
        client.logout()
        assert signed_in == anonymous + extra, url
        assert signed_in <= 15, url


def test_story_cards_read_no_bodies(client, add_story):
    """A card shows title, summary, persona and cover: each story's StreamField body stays unread."""
    for _ in range(3):
        add_story()
    client.get("/stories/")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/stories/").content.decode()
    assert body.count("content-card-link") == 3
    assert not [q for q in queries if '"content_casestudypage"."body"' in q["sql"]]


def test_home_reads_every_image_s_renditions_in_one_query(client, site_tree, add_tip, add_story,
                                                          add_store):
    from tests.factories import make_image

    tips = [add_tip(f"Care tip {letter}") for letter in "ABCD"]
    for _ in range(3):
        add_story(), add_store()
    site_tree.hero_image = make_image("hero")
    site_tree.featured_tips = tips[:3]  # the editor's pick, not the newest
    site_tree.save_revision().publish()
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "content-hero-img" in html and html.count("content-card-link") == 6
    assert "Care tip A" in html and "Care tip D" not in html
    assert len([q for q in queries if 'FROM "wagtailimages_rendition"' in q["sql"]]) == 1
    # Page, view restrictions, hero image, picked tips, stories, renditions, events, stores and
    # their opening hours: nothing per card.
    assert len(queries) == 9, [q["sql"][:80] for q in queries]


def test_an_index_reads_its_cards_and_their_total_in_one_query(client, add_story):
    for _ in range(13):
        add_story()
    client.get("/stories/?page=2")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/stories/?page=2").content.decode()
    assert "Page 2 of 2" in html and html.count("content-card-link") == 1
    assert not [q for q in queries if "COUNT(" in q["sql"] and "OVER" not in q["sql"]]
    # Page, view restrictions, breadcrumbs, personas, categories, cards with their total, renditions.
    assert len(queries) == 7, [q["sql"][:80] for q in queries]


@pytest.mark.parametrize(("asked", "shown"),
                         [("5", 2), ("0", 2), ("x", 1), ("", 1), ("99999999999999999999", 2)])
def test_an_index_page_number_out_of_range_shows_the_last_page_and_a_bad_one_the_first(
        client, add_story, asked, shown):
    for _ in range(13):
        add_story()
    html = client.get(f"/stories/?page={asked}").content.decode()
    assert f"Page {shown} of 2" in html


def test_home_event_cards_read_nothing_more_per_event(client, make_event):
    from tests.factories import make_image

    make_event(cover_image=make_image("event"))
    one = count_queries(client, "/")
    for _ in range(2):
        make_event(cover_image=make_image("event"))
    html = client.get("/").content.decode()
    assert html.count('class="tile"') == 3
    assert count_queries(client, "/") == one
