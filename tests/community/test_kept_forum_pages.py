"""A topic's page of posts (community.selectors.topics._shared_page) and a forum's page of topics
(topic_list_page) are kept between readers and never stale: every write that changes what they
show drops them; a reader whose own post waits for a moderator, or a moderator, reads the posts
fresh, and each reader's read marks are their own."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import selectors, services
from community.models import Category, Post, Reaction, Topic
from tests.factories import make_reply, make_topic, make_user, trusted

pytestmark = pytest.mark.django_db


def page_of(client, topic, reader, page="") -> str:
    client.force_login(reader)
    response = client.get(topic.get_absolute_url() + (f"?page={page}" if page else ""))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_reader_reads_no_post_and_a_new_reply_shows_at_once(client, members_topic,
                                                                      member, other_member):
    page_of(client, members_topic, member)
    page_of(client, members_topic, other_member)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        client.get(members_topic.get_absolute_url())
    assert not [q for q in queries if 'FROM "community_post"' in q["sql"]]
    make_reply(members_topic, other_member, "Fresh reply")
    assert "Fresh reply" in page_of(client, members_topic, member)


def test_edits_reactions_deletions_and_moderation_show_at_once(client, members_topic, member,
                                                               other_member, moderator):
    post = make_reply(members_topic, trusted(other_member), "First words")
    assert "First words" in page_of(client, members_topic, member)
    services.edit_post(editor=other_member, post=post, body="Second words")
    assert "Second words" in page_of(client, members_topic, member)
    services.toggle_reaction(user=moderator, post=post, kind=Reaction.Kind.HELPFUL)
    assert "✓ Helpful <span class=\"tabular\">1</span>" in page_of(client, members_topic, member)
    services.hide_post(moderator=moderator, post=post)  # by update(): no signal
    assert "Second words" not in page_of(client, members_topic, member)
    services.restore_post(moderator=moderator, post=post)
    assert "Second words" in page_of(client, members_topic, member)
    services.delete_post(user=other_member, post=post)
    html = page_of(client, members_topic, member)
    assert "Second words" not in html and "This post was deleted." in html


def test_an_author_s_new_name_shows_at_once_and_a_sign_in_keeps_the_page(client, members_topic,
                                                                        member, other_member):
    page_of(client, members_topic, member)
    token = cache.get(selectors.PEOPLE_KEY)
    other_member.last_login = other_member.date_joined
    other_member.save(update_fields=["last_login"])
    assert cache.get(selectors.PEOPLE_KEY) == token
    other_member.display_name = "Renamed Author"
    other_member.save()
    assert "Renamed Author" in page_of(client, members_topic, member)


def test_a_held_post_shows_to_its_author_and_moderators_only(client, members_topic, member,
                                                             other_member, moderator):
    page_of(client, members_topic, other_member)  # the shared page is kept
    Post.objects.create(topic=members_topic, author=member, source="Waiting", html="<p>Waiting</p>",
                        status=Post.Status.HELD)
    assert "Waiting" in page_of(client, members_topic, member)
    assert "Waiting" in page_of(client, members_topic, moderator)
    assert "Waiting" not in page_of(client, members_topic, other_member)


def test_a_hidden_post_shows_to_moderators_only(client, members_topic, member, moderator):
    post = make_reply(members_topic, member, "Rude words")
    page_of(client, members_topic, member)
    services.hide_post(moderator=moderator, post=post)
    assert "Rude words" in page_of(client, members_topic, moderator)
    assert "Rude words" not in page_of(client, members_topic, member)


def test_pages_are_kept_apart(client, members_topic, member):
    author = make_user("many@example.com")
    for n in range(selectors.POSTS_PER_PAGE + 1):
        make_reply(members_topic, author, f"Reply number {n}.")
    first, second = page_of(client, members_topic, member), page_of(client, members_topic, member, 2)
    assert "Reply number 0." in first and "Reply number 0." not in second
    assert f"Reply number {selectors.POSTS_PER_PAGE}." in second
    assert "Reply number 0." in page_of(client, members_topic, member, "nope")


def list_of(client, forum, reader, query="") -> str:
    client.force_login(reader)
    response = client.get(forum.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, title: str) -> str:
    start = html.rindex("<li", 0, html.index(title))
    return html[start:html.index("</li>", start)]


def test_a_second_view_of_the_list_reads_no_topic(client, questions, member, other_member):
    make_topic(questions, other_member, title="Gel or dip?")
    list_of(client, questions.forum, member)
    list_of(client, questions.forum, other_member)
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        client.get(questions.forum.get_absolute_url())
    assert not [q for q in queries if 'FROM "community_topic"' in q["sql"]]


def test_replies_marks_moves_and_hidden_posts_show_at_once(client, questions, members_forum,
                                                           member, other_member, moderator):
    topic = make_topic(questions, other_member, title="Gel or dip?")
    forum = questions.forum
    assert '<span class="tabular reply-count" title="Posts">1</span>' in row(
        list_of(client, forum, member), "Gel or dip?")
    reply = make_reply(topic, member, "Dip")
    assert 'title="Posts">2</span>' in row(list_of(client, forum, member), "Gel or dip?")
    services.hide_post(moderator=moderator, post=reply)  # by update(): no signal
    assert 'title="Posts">1</span>' in row(list_of(client, forum, member), "Gel or dip?")
    services.set_topic_pinned(moderator=moderator, topic=topic, pinned=True)
    assert "Pinned" in row(list_of(client, forum, member), "Gel or dip?")
    services.set_topic_locked(moderator=moderator, topic=topic, locked=True)
    assert "Locked" in row(list_of(client, forum, member), "Gel or dip?")
    other = Category.objects.create(forum=forum, name="Aftercare")
    list_of(client, forum, member, f"?category={other.pk}")
    services.move_topic(moderator=moderator, topic=topic, category=other)
    assert "Gel or dip?" in list_of(client, forum, member, f"?category={other.pk}")
    assert "Gel or dip?" not in list_of(client, forum, member, f"?category={questions.pk}")
    Topic.objects.get(pk=topic.pk).delete()
    assert "Gel or dip?" not in list_of(client, forum, member)


def test_read_marks_are_each_reader_s_own(client, questions, member, other_member, moderator):
    topic = make_topic(questions, other_member, title="Gel or dip?")
    page_of(client, topic, member)  # read up to the first post
    page_of(client, topic, moderator)
    make_reply(topic, other_member, "Dip")
    page_of(client, topic, moderator)  # read the reply too
    assert "New posts" in row(list_of(client, questions.forum, member), "Gel or dip?")
    assert "New posts" not in row(list_of(client, questions.forum, moderator), "Gel or dip?")
    assert "New posts" not in row(list_of(client, questions.forum, other_member), "Gel or dip?")


def test_a_reader_s_kept_marks_move_at_once(client, questions, member, other_member):
    """The list keeps each reader's marks (community.selectors.MARKS): reading a topic and a reply
    arriving show on the next view of the list."""
    topic = make_topic(questions, other_member, title="Gel or dip?")
    assert ">New</a>" in row(list_of(client, questions.forum, member), "Gel or dip?")  # kept
    page_of(client, topic, member)
    listed = row(list_of(client, questions.forum, member), "Gel or dip?")
    assert ">New</a>" not in listed and "New posts" not in listed
    make_reply(topic, other_member, "Dip")
    assert "New posts" in row(list_of(client, questions.forum, member), "Gel or dip?")
    page_of(client, topic, member)
    assert "New posts" not in row(list_of(client, questions.forum, member), "Gel or dip?")


def test_hidden_topics_show_to_moderators_only(client, questions, member, moderator):
    make_topic(questions, member, title="Spam here")
    list_of(client, questions.forum, member)
    topic = Topic.objects.get(title="Spam here")
    topic.hidden = True
    topic.save()
    assert "Spam here" not in list_of(client, questions.forum, member)
    assert "Spam here" in list_of(client, questions.forum, moderator)


def test_a_second_view_of_a_read_topic_reads_nothing_of_the_forum(client, members_topic, member):
    page_of(client, members_topic, member)  # marks it read
    page_of(client, members_topic, member)
    with CaptureQueriesContext(connection) as queries:
        client.get(members_topic.get_absolute_url())
    assert not [q for q in queries if "community_" in q["sql"]]


def test_the_reader_s_own_reactions_watch_and_read_mark_show_at_once(client, members_topic,
                                                                     member, other_member):
    post = members_topic.posts.get()
    assert 'aria-pressed="true"' not in page_of(client, members_topic, member)
    services.toggle_reaction(user=member, post=post, kind=Reaction.Kind.LIKE)
    assert 'aria-pressed="true"' in page_of(client, members_topic, member)
    assert 'aria-pressed="true"' not in page_of(client, members_topic, other_member)
    services.set_watch(user=member, watching=True, topic=members_topic)
    assert "Stop watching" in page_of(client, members_topic, member)
    services.set_watch(user=member, watching=False, topic=members_topic)
    assert "Stop watching" not in page_of(client, members_topic, member)
    reply = make_reply(members_topic, other_member, "Fresh reply")
    assert f'id="post-{reply.pk}"' in page_of(client, members_topic, member)
    html = page_of(client, members_topic, member)  # read by the view before
    assert "is-new" not in html
    make_reply(members_topic, other_member, "Another")
    assert "is-new" in page_of(client, members_topic, member)
    assert "is-new" not in page_of(client, members_topic, member)
