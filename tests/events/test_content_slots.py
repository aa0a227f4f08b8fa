"""Events on the home, store and practitioner pages and in site search."""


import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import PractitionerIndexPage, PractitionerPage
from tests.factories import end_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(site_tree, store):
    index = site_tree.add_child(instance=PractitionerIndexPage(title="Team", slug="team"))
    page = index.add_child(instance=PractitionerPage(title="Ada Lin", slug="ada"))
    page.stores.add(store)
    page.save_revision().publish()
    return page


def _queries(client, url) -> int:
    cache.clear()  # the rendering's queries, not an anonymous page-cache hit
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_home_page_shows_next_events_in_constant_queries(client, make_event):
    body = client.get("/").content.decode()
    assert "Upcoming events" not in body  # nothing planned: the section stays out
    soon = make_event(title="Gel day 凝膠日")
    gone = end_event(make_event(title="Last week"))
    body = client.get("/").content.decode()
    assert "Upcoming events" in body and soon.title in body and gone.title not in body
    one = _queries(client, "/")
    for _ in range(4):
        make_event()
    assert _queries(client, "/") == one


def test_store_page_lists_its_own_events_only(client, make_event, store, other_store):
    body = client.get(store.url).content.decode()
    assert "No upcoming events here yet." in body
    here = make_event(title="Here")
    there = make_event(title="Elsewhere", store=other_store)
    body = client.get(store.url).content.decode()
    assert here.title in body and there.title not in body
    assert "?store=xinyi" in body
    one = _queries(client, store.url)
    for _ in range(4):
        make_event()
    assert _queries(client, store.url) == one


def test_practitioner_page_lists_their_events_and_event_links_them(client, make_event,
                                                                   practitioner):
    assert "Upcoming events with" not in client.get(practitioner.url).content.decode()
    event = make_event(title="Lash day")
    event.practitioners.add(practitioner)
    event.save_revision().publish()
    make_event(title="Without Ada")
    body = client.get(practitioner.url).content.decode()
    assert "Upcoming events with Ada Lin" in body and "Lash day" in body
    assert "Without Ada" not in body
    body = client.get(event.url).content.decode()
    assert f'href="{practitioner.url}"' in body


def test_site_search_finds_upcoming_published_events_only(client, make_event):
    make_event(title="Scalp care beta 頭皮護理")
    end_event(make_event(title="Old 頭皮 day"))
    draft = make_event(title="Draft 頭皮 plan")
    draft.unpublish()
    body = client.get("/search/", {"q": "頭皮"}).content.decode()
    assert "Scalp care beta 頭皮護理" in body
    assert "Old 頭皮 day" not in body and "Draft 頭皮 plan" not in body


def test_editors_pick_practitioners_in_the_admin(client, event, practitioner):
    from tests.factories import make_user

    client.force_login(make_user("root@example.com", is_superuser=True, is_staff=True))
    body = client.get(f"/admin/pages/{event.pk}/edit/").content.decode()
    assert 'name="practitioners"' in body and "Ada Lin" in body
