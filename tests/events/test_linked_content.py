"""Tips and stories point to the next experience day near the reader; an event shows the stories
its store's earlier days left behind. Each in a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import CareTipIndexPage, CareTipPage, CaseStudyIndexPage, CaseStudyPage
from events.models import EventPage
from tests.factories import make_image, publish

pytestmark = pytest.mark.django_db

HEADING = "Next experience day near you"


@pytest.fixture
def tip(site_tree):
    index = publish(site_tree, CareTipIndexPage(title="Tips", slug="tips"))
    return publish(index, CareTipPage(title="Cuticle care", slug="cuticle-care", summary="Oil daily"))


@pytest.fixture
def stories_index(site_tree):
    return publish(site_tree, CaseStudyIndexPage(title="Stories", slug="stories"))


def _story(index, store, title):
    return publish(index, CaseStudyPage(title=title, slug=title.lower().replace(" ", "-"),
                                        summary=f"{title} summary", store=store,
                                        cover=make_image(title)))


def _queries(client, url) -> tuple[int, str]:
    client.get(url)  # new images get their renditions made once
    cache.clear()  # the rendering's queries, not a cached page or fragment
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_tip_shows_the_soonest_experience_day_in_constant_queries(client, tip, make_event):
    assert HEADING not in client.get(tip.url).content.decode()
    make_event(title="Meetup first", kind=EventPage.Kind.MEETUP, start=timezone.now() + timedelta(days=1))
    soon = make_event(title="Gel day", start=timezone.now() + timedelta(days=2))
    make_event(title="Later day", start=timezone.now() + timedelta(days=9))
    count, html = _queries(client, tip.url)
    assert HEADING in html and soon.title in html and f'href="{soon.url}"' in html
    assert f'href="{soon.get_parent().url}?kind=experience_day"' in html  # all of them, on the index
    assert "Later day" not in html and "Meetup first" not in html
    for _ in range(4):
        make_event(start=timezone.now() + timedelta(days=20))
    assert _queries(client, tip.url)[0] == count


def test_tip_prefers_the_readers_home_store(client, tip, make_event, member, other_store):
    make_event(title="Xinyi day", start=timezone.now() + timedelta(days=2))
    home = make_event(title="Daan day", store=other_store, start=timezone.now() + timedelta(days=6))
    member.home_store = other_store
    member.save()
    client.force_login(member)
    html = client.get(tip.url).content.decode()
    assert home.title in html and "Xinyi day" not in html


def test_members_are_not_pointed_at_a_providers_only_day(client, tip, make_event, member):
    make_event(title="Pro day", audience=EventPage.Audience.PROVIDERS)
    client.force_login(member)
    assert "Pro day" not in client.get(tip.url).content.decode()


def test_story_links_the_next_experience_day_at_its_store(client, stories_index, store, other_store,
                                                         make_event):
    make_event(title="Elsewhere day", store=other_store, start=timezone.now() + timedelta(days=1))
    here = make_event(title="Here day", start=timezone.now() + timedelta(days=5))
    story = _story(stories_index, store, "Bridal party")
    html = client.get(story.url).content.decode()
    assert HEADING in html and f'href="{here.url}"' in html and "Elsewhere day" not in html


def test_event_shows_stories_from_its_store_in_constant_queries(client, stories_index, store,
                                                                other_store, make_event):
    event = make_event(title="Gel day")
    count, html = _queries(client, event.url)
    assert "Stories from earlier days" not in html
    told = _story(stories_index, store, "Lunch manicure")
    _story(stories_index, other_store, "Far away")
    count, html = _queries(client, event.url)
    assert "Stories from earlier days at Xinyi" in html and f'href="{told.url}"' in html
    assert "Far away" not in html
    for number in range(4):
        _story(stories_index, store, f"Another story {number}")
    more, html = _queries(client, event.url)
    assert more == count and html.count('class="card content-card"') == 3


def test_private_experience_days_are_not_offered(client, tip, make_event):
    """A day under a view restriction (its own or its index's) is no reader's next day."""
    from wagtail.models import PageViewRestriction

    hidden = make_event(title="Private day", start=timezone.now() + timedelta(days=1))
    make_event(title="Open day", start=timezone.now() + timedelta(days=3))
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(tip.url).content.decode()
    assert "Open day" in html and "Private day" not in html
    PageViewRestriction.objects.create(page=hidden.get_parent(),
                                       restriction_type=PageViewRestriction.LOGIN)
    cache.clear()
    assert HEADING not in client.get(tip.url).content.decode()
