"""An event page is what people share: canonical, og: tags and its own description."""

import re

import pytest

from tests.factories import make_image

pytestmark = pytest.mark.django_db


def _meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def test_event_page_has_canonical_open_graph_and_its_own_description(client, settings, make_event):
    event = make_event(title="Gel day 凝膠日", summary="Try gel nails with our team, free.",
                       cover_image=make_image("gel-day"))
    html = client.get(event.url).content.decode()
    address = f"{settings.SITE_URL}{event.url}"
    assert f'<link rel="canonical" href="{address}">' in html
    assert _meta(html, "property", "og:url") == address
    assert _meta(html, "property", "og:title") == "Gel day 凝膠日"
    assert _meta(html, "property", "og:description") == "Try gel nails with our team, free."
    assert _meta(html, "name", "description") == "Try gel nails with our team, free."
    assert _meta(html, "property", "og:image").startswith(f"{settings.SITE_URL}/media/")


def test_event_without_summary_is_described_by_kind_place_and_time(client, make_event, store):
    event = make_event(title="Open house")
    description = _meta(client.get(event.url).content.decode(), "name", "description")
    assert store.title in description and f"{event.local_start:%Y-%m-%d}" in description
    assert "Tend: beauty" not in description
