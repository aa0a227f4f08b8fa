import xml.etree.ElementTree as ET

import pytest

from content.models import StandardPage
from tests.factories import publish

pytestmark = pytest.mark.django_db


def parse(content: bytes):
    return ET.fromstring(content)  # noqa: S314 - our own response, not untrusted input


def test_tip_and_story_feeds_parse_as_rss(client, settings, add_tip, add_story):
    add_tip("Gel nails 凝膠")
    add_story("Bridal party")
    for url, title in (("/feeds/tips/", "Gel nails 凝膠"), ("/feeds/stories/", "Bridal party")):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/rss+xml")
        channel = parse(response.content).find("channel")
        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == [title]
        assert items[0].findtext("link").startswith(f"{settings.SITE_URL}/")


def test_feeds_leave_out_drafts(client, add_tip):
    add_tip("Draft tip").unpublish()
    assert parse(client.get("/feeds/tips/").content).find("channel/item") is None


def test_sitemap_lists_only_published_public_pages(client, settings, site_tree, add_tip, add_course):
    live = add_tip("Live tip")
    draft = add_tip("Draft tip")
    draft.unpublish()
    course = add_course("Private course")
    about = publish(site_tree, StandardPage(title="About", slug="about-us"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {loc.text for loc in parse(response.content).findall("s:url/s:loc", namespace)}
    assert f"{settings.SITE_URL}/tips/{live.slug}/" in urls
    assert f"{settings.SITE_URL}/{about.slug}/" in urls
    assert f"{settings.SITE_URL}/tips/{draft.slug}/" not in urls
    assert not any("/courses/" in url for url in urls), course
