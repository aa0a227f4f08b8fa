"""What a care tip reads when it renders (page fragments off: what each tip costs once after a
publish, and every view while PAGE_CACHE_SECONDS is 0)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Rendition

from tests.factories import make_image
from tests.spies import cache_calls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_fragments(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_tip_reads_its_images_renditions_in_one_query_and_none_from_the_cache(client, add_tip,
                                                                              monkeypatch):
    step = make_image("step")
    tip = add_tip(body=[{"type": "steps", "value": [
        {"title": "Soak", "text": "<p>Ten minutes.</p>", "image": step.pk}]}])
    client.get(tip.url)  # the renditions are made once
    asked = cache_calls(monkeypatch, Rendition.cache_backend)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(tip.url).content.decode()
    assert "fill-1200x630" in html and "width-390" in html and "width-360" in html  # og, cover, step
    assert not [call for call in asked if "wagtail-rendition" in call[1]]
    assert len([q for q in queries if 'FROM "wagtailimages_rendition"' in q["sql"]]) == 1
    assert len(queries) <= 10
