"""What a topic list row tells a reader: a "New" marker on a topic they never opened, who posted
last and when; kept rows change as soon as any of it does, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services
from portal.models import User
from tests.community.test_kept_forum_pages import list_of, page_of, row
from tests.factories import make_reply, make_topic

pytestmark = pytest.mark.django_db


def marker(html: str) -> str:
    found = re.search(r'class="badge badge-accent new-marker"[^>]*>([^<]+)<', html)
    return found.group(1) if found else ""


def test_a_topic_a_member_never_opened_is_marked_new_until_they_open_it(client, questions, member,
                                                                          other_member):
    topic = make_topic(questions, other_member, title="Gel or dip?")
    assert marker(row(list_of(client, questions.forum, member), "Gel or dip?")) == "New"
    # Its author and anonymous readers see no marker.
    assert marker(row(list_of(client, questions.forum, other_member), "Gel or dip?")) == ""
    client.logout()
    assert marker(row(client.get(questions.forum.get_absolute_url()).content.decode(),
                      "Gel or dip?")) == ""
    page_of(client, topic, member)
    assert marker(row(list_of(client, questions.forum, member), "Gel or dip?")) == ""
    make_reply(topic, other_member, "Dip lasts longer")
    assert marker(row(list_of(client, questions.forum, member), "Gel or dip?")) == "New posts"


def test_a_row_shows_the_last_poster_and_time_and_follows_replies_names_and_deletions(
        client, questions, member, other_member, moderator):
    topic = make_topic(questions, other_member, title="Gel or dip?")
    html = row(list_of(client, questions.forum, member), "Gel or dip?")
    assert "started by Otto" in html and "last post by Otto" in html
    reply = make_reply(topic, moderator, "Dip")
    html = row(list_of(client, questions.forum, member), "Gel or dip?")
    assert "started by Otto" in html and "last post by Mo" in html
    when = timezone.localtime(reply.created_at).strftime("%Y-%m-%d %H:%M")
    assert when in html
    moderator.display_name = "Moana"
    moderator.save(update_fields=["display_name"])
    assert "last post by Moana" in row(list_of(client, questions.forum, member), "Gel or dip?")
    services.delete_post(user=moderator, post=reply)
    assert "last post by Otto" in row(list_of(client, questions.forum, member), "Gel or dip?")


def _list_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_last_posters_cost_no_query_per_row(client, questions, member):
    client.force_login(member)
    url = questions.forum.get_absolute_url()

    def add(n: int, prefix: str):
        for i in range(n):
            topic = make_topic(questions, User.objects.create(email=f"{prefix}{i}@example.com"))
            make_reply(topic, User.objects.create(email=f"{prefix}r{i}@example.com"))

    add(3, "a")
    few = _list_queries(client, url)
    add(30, "b")
    html = client.get(url).content.decode()
    assert html.count("last post by b") == 30 and "last post by ar0" in html
    assert _list_queries(client, url) == few
