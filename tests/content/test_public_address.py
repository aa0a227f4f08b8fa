"""Every absolute address a page prints (canonical, og:, sitemap, feeds) is on SITE_URL, and every
page names its other-language address."""

import re
import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Site

from content import demo, services

pytestmark = pytest.mark.django_db

PUBLIC = "https://tend.example"


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = PUBLIC
    return PUBLIC


def test_sitemap_and_feeds_use_site_url_not_the_site_rows_host(client, public_address, add_tip):
    tip = add_tip("Gel care")
    assert Site.objects.get(is_default_site=True).hostname == "localhost"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own response
    locs = [loc.text for loc in sitemap.findall("s:url/s:loc", namespace)]
    assert f"{PUBLIC}/tips/{tip.slug}/" in locs
    assert all(loc.startswith(f"{PUBLIC}/") for loc in locs)
    feed = ET.fromstring(client.get("/feeds/tips/").content)  # noqa: S314 - our own response
    assert [item.findtext("link") for item in feed.iter("item")] == [f"{PUBLIC}/tips/{tip.slug}/"]


def test_tip_page_canonical_and_open_graph_use_site_url(client, public_address, add_tip):
    tip = add_tip("Gel care")
    html = client.get(tip.url, HTTP_HOST="127.0.0.1").content.decode()
    assert f'<link rel="canonical" href="{PUBLIC}/tips/{tip.slug}/">' in html
    assert f'<meta property="og:url" content="{PUBLIC}/tips/{tip.slug}/">' in html
    image = re.search(r'property="og:image" content="([^"]+)"', html).group(1)
    assert image.startswith(f"{PUBLIC}/media/")
    assert "localhost" not in html and "127.0.0.1" not in html


def test_demo_site_follows_site_url_also_when_it_exists(public_address, site_tree):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    assert demo.home_page().pk == site_tree.pk
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("tend.example", 443)
    services.point_default_site_at("http://127.0.0.1:8000")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)


def test_home_title_names_the_brand_once(client, site_tree):
    title = re.search(r"<title>(.*?)</title>", client.get("/").content.decode()).group(1)
    assert title.count("Tend") == 1


def test_every_page_links_its_language_alternates(client, settings, add_tip):
    tip = add_tip("Gel care")
    base = settings.SITE_URL
    for path in (tip.url, "/events/", "/accounts/login/"):
        html = client.get(path).content.decode()
        assert f'<link rel="alternate" hreflang="en" href="{base}{path}?lang=en">' in html, path
        assert f'<link rel="alternate" hreflang="zh-Hant" href="{base}{path}?lang=zh-hant">' in html
        assert f'<link rel="alternate" hreflang="x-default" href="{base}{path}">' in html


def test_lang_address_opens_in_its_language_with_its_own_canonical(client, settings, add_tip):
    tip = add_tip("Gel care")
    html = client.get(f"{tip.url}?lang=zh-hant").content.decode()
    assert '<html lang="zh-Hant">' in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{tip.url}?lang=zh-hant">' in html
    assert '<html lang="en">' in client.get(tip.url).content.decode()
    assert '<html lang="en">' in client.get(f"{tip.url}?lang=klingon").content.decode()
