"""What an event page reads when it renders (page fragments off: what each event costs once after
a publish): only the columns it shows of its store, practitioners and stories, view restrictions
inside the stories' query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import CaseStudyIndexPage, CaseStudyPage, PractitionerIndexPage, PractitionerPage
from tests.factories import make_image, publish
from tests.spies import cache_calls

pytestmark = pytest.mark.django_db


def test_event_page_reads_only_what_it_shows(client, settings, site_tree, store, make_event):
    settings.PAGE_CACHE_SECONDS = 0
    team = site_tree.add_child(instance=PractitionerIndexPage(title="Team", slug="team"))
    ada = publish(team, PractitionerPage(title="Ada Lin", slug="ada", bio="A long biography."))
    stories = publish(site_tree, CaseStudyIndexPage(title="Stories", slug="stories"))
    publish(stories, CaseStudyPage(title="Bridal party", slug="bridal", summary="Told here",
                                   store=store, cover=make_image("bridal")))
    event = make_event(title="Gel day")
    event.practitioners.add(ada)
    event.save_revision().publish()
    client.get(event.url)  # renditions made once
    with CaptureQueriesContext(connection) as queries:
        html = client.get(event.url).content.decode()
    assert "Xinyi" in html and "Ada Lin" in html and "Bridal party" in html
    sql = [query["sql"] for query in queries]
    assert not [q for q in sql if '"content_storepage"."photos"' in q
                or '"content_practitionerpage"."bio"' in q or '"content_casestudypage"."body"' in q]
    # Wagtail's public() would read every restriction with its page first.
    assert not [q for q in sql if q.startswith('SELECT "wagtailcore_pageviewrestriction"."id"')
                and 'INNER JOIN "wagtailcore_page"' in q]
    assert len(sql) <= 7


def test_event_cards_use_the_renditions_read_with_the_events(client, settings, make_event,
                                                            monkeypatch):
    """No cache round trip per card: `{% image %}` writes each rendition back on every view."""
    from wagtail.images.models import Rendition

    settings.PAGE_CACHE_SECONDS = 0
    for number in range(2):
        make_event(title=f"Day {number}", cover_image=make_image(f"day{number}"))
    client.get("/events/")  # renditions made once
    asked = cache_calls(monkeypatch, Rendition.cache_backend)
    html = client.get("/events/").content.decode()
    assert html.count("fill-640x360") == 2
    assert not [call for call in asked if "wagtail-rendition" in call[1]]
