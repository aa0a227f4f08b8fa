"""Wagtail page routes come from the page-tree cache (portal.views.serve) and never outlive an edit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0  # past the anonymous page cache: every view routes


def _sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, " ".join(q["sql"] for q in queries)


def test_a_routed_page_skips_the_site_and_tree_walk(client, add_tip):
    tip = add_tip()
    status, first = _sql(client, tip.url)
    assert status == 200 and '"wagtailcore_site"' in first
    status, again = _sql(client, tip.url)
    assert status == 200 and '"wagtailcore_site"' not in again
    assert again.count('FROM "wagtailcore_page"') < first.count('FROM "wagtailcore_page"')


def test_a_renamed_page_moves_at_once(client, add_tip):
    tip = add_tip(title="Old name")
    old_url = tip.url
    assert client.get(old_url).status_code == 200
    tip.slug = "new-name"
    tip.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert "Old name" in client.get("/tips/new-name/").content.decode()


def test_an_unpublished_page_is_gone_at_once(client, add_tip):
    tip = add_tip()
    assert client.get(tip.url).status_code == 200
    tip.unpublish()
    assert client.get(tip.url).status_code == 404


def test_a_site_given_another_root_routes_from_it(client, add_tip, tree):
    tip = add_tip()
    assert client.get(tip.url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = tree["tips"]
    site.save()
    assert client.get(f"/{tip.slug}/").status_code == 200
    assert client.get(f"/tips/{tip.slug}/").status_code == 404


def test_a_private_page_stays_private_when_its_route_is_cached(client, provider, member, add_course):
    course = add_course()
    client.force_login(provider)  # courses are for providers: the route is now cached
    assert client.get(course.url).status_code == 200
    client.force_login(member)
    assert client.get(course.url).status_code != 200
    client.logout()
    assert client.get(course.url).status_code != 200
