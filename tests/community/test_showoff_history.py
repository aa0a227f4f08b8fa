"""Show-off topics linking who served and the event attended; the edit history behind "edited"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import services
from community.errors import ForumError
from community.models import ServiceVisit, Topic
from content.models import PractitionerIndexPage, PractitionerPage
from tests.factories import PASSWORD, make_topic, trusted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(site_tree, store):
    team = site_tree.add_child(instance=PractitionerIndexPage(title="Team", slug="team"))
    page = team.add_child(instance=PractitionerPage(title="Ada Lin", slug="ada"))
    page.stores.add(store)
    page.save()
    return page


@pytest.fixture
def attended(site_tree, store, member, moderator):
    """A live page standing for an event the member checked in at (community sees pages only)."""
    from events.models import EventIndexPage, EventPage

    now = datetime.datetime.now(datetime.UTC)
    index = site_tree.add_child(instance=EventIndexPage(title="Events", slug="events"))
    event = index.add_child(instance=EventPage(
        title="Gel day", slug="gel-day", store=store, start=now - datetime.timedelta(hours=3),
        end=now - datetime.timedelta(hours=1), registration_closes=now,
        cancellation_deadline=now,
    ))
    ServiceVisit.objects.create(member=member, store=store, recorded_by=moderator,
                                date=datetime.date(2026, 11, 20), event_id=event.pk)
    return event


def test_show_off_links_store_practitioner_and_attended_event(client, member, questions, store,
                                                              ada, attended):
    trusted(member)
    client.login(email=member.email, password=PASSWORD)
    form = client.get("/community/members/new/").content.decode()
    assert "Gel day" in form and "Ada Lin" in form
    response = client.post("/community/members/new/", {
        "category": questions.pk, "title": "Look at my nails", "body": "So shiny",
        "store": store.pk, "practitioner": ada.pk, "event": attended.pk,
    })
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.store, topic.practitioner, topic.event_id) == (store, ada, attended.pk)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(topic.get_absolute_url()).content.decode()
    assert "Served by" in body and f'href="{ada.url}"' in body
    assert "At the event" in body and "Gel day" in body
    # Each linked page is a title and a link: none of the three page models' full rows is read.
    assert not [q for q in queries
                if '"draft_title"' in q["sql"] and '"wagtailcore_site"' not in q["sql"]]


def test_an_event_not_attended_cannot_be_linked(client, other_member, questions, attended):
    trusted(other_member)
    client.login(email=other_member.email, password=PASSWORD)
    assert "Event you attended" not in client.get("/community/members/new/").content.decode()
    response = client.post("/community/members/new/", {
        "category": questions.pk, "title": "Forged", "body": "kept text", "event": attended.pk,
    })
    # The form offers no event to someone who attended none: a forged id is ignored...
    assert response.status_code == 302 and Topic.objects.get().event is None
    # ...and the service refuses it outright.
    with pytest.raises(ForumError) as exc:
        services.create_topic(author=other_member, category=questions, title="Forged 2",
                              body="x", event=attended)
    assert exc.value.code == "forbidden"
    assert Topic.objects.count() == 1


def test_edit_history_for_author_and_moderators_only(client, member, other_member, moderator,
                                                     questions):
    topic = make_topic(questions, member, body="call me at 0912")
    post = topic.posts.get()
    services.edit_post(editor=member, post=post, body="ask in the store")
    client.login(email=other_member.email, password=PASSWORD)
    body = client.get(topic.get_absolute_url()).content.decode()
    assert "edited" in body and f"/community/posts/{post.pk}/history/" not in body
    assert client.get(f"/community/posts/{post.pk}/history/").status_code == 403
    for viewer in (member, moderator):
        client.login(email=viewer.email, password=PASSWORD)
        assert f"/community/posts/{post.pk}/history/" in client.get(
            topic.get_absolute_url()).content.decode()
        history = client.get(f"/community/posts/{post.pk}/history/").content.decode()
        assert "call me at 0912" in history and "ask in the store" in history
