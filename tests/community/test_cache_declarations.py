"""What the forum pages keep is dropped by every write path its keys declare (portal.caching):
saves, deletes, and update() and bulk_create() on querysets, which send no signal."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import selectors, services
from community.models import Post, Topic, TopicRead
from portal.caching import Key, digest
from portal.models import User
from tests.community.test_post_cards import card, view
from tests.factories import make_reply, make_topic

pytestmark = pytest.mark.django_db


def forum_page(client, forum) -> str:
    response = client.get(forum.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_write_by_update_drops_the_values_that_depend_on_it(client, members_topic, member):
    client.force_login(member)
    assert "Lasting manicure?" in forum_page(client, members_topic.forum)
    view(client, members_topic)
    Topic.objects.filter(pk=members_topic.pk).update(title="Renamed by update")
    assert "Renamed by update" in forum_page(client, members_topic.forum)
    assert "Renamed by update" in view(client, members_topic).content.decode()


def test_an_update_reads_the_scope_only_when_its_filter_does_not_pin_it(members_topic, member):
    TopicRead.objects.create(user=member, topic=members_topic)
    reader = selectors.READER(member.pk, members_topic.pk)
    cache.set(reader, 1)
    with CaptureQueriesContext(connection) as queries:
        TopicRead.objects.filter(user=member, topic=members_topic).update(last_read_post_id=5)
    assert len(queries) == 1  # the filter names the reader and the topic: the write alone
    assert cache.get(reader) is None
    post = members_topic.posts.get()
    forum = selectors.FORUM(members_topic.forum_id)
    cache.set(forum, 1)
    with CaptureQueriesContext(connection) as queries:
        Post.objects.filter(pk=post.pk).update(html="<p>Changed</p>")
    assert len(queries) == 2  # the row's topic and forum, then the write
    assert cache.get(forum) is None


def test_a_moved_topic_leaves_one_forum_s_list_and_joins_the_other_s(
        client, members_topic, members_forum, moderator, voice):
    client.force_login(moderator)
    assert "Lasting manicure?" in forum_page(client, members_forum)
    assert "Lasting manicure?" not in forum_page(client, voice.forum)
    services.move_topic(moderator=moderator, topic=members_topic, category=voice)
    assert "Lasting manicure?" not in forum_page(client, members_forum)
    assert "Lasting manicure?" in forum_page(client, voice.forum)


def test_a_topic_created_in_bulk_shows_in_the_kept_list(client, members_topic, member, questions):
    client.force_login(member)
    forum_page(client, questions.forum)
    Topic.objects.bulk_create([Topic(forum=questions.forum, category=questions, author=member,
                                     title="Made in bulk", slug="bulk")])
    assert "Made in bulk" in forum_page(client, questions.forum)


def test_a_field_the_card_shows_is_never_stale_by_save_or_by_update(client, members_topic):
    post = members_topic.posts.get()
    assert "How long should it last?" in card(view(client, members_topic), post)
    post.html = "<p>Saved text</p>"
    post.save()
    assert "Saved text" in card(view(client, members_topic), post)
    Post.objects.filter(pk=post.pk).update(html="<p>Updated text</p>")
    assert "Updated text" in card(view(client, members_topic), post)
    User.objects.filter(pk=post.author_id).update(display_name="New Name")
    assert "New Name" in card(view(client, members_topic), post)


def test_a_card_s_key_covers_every_field_of_what_it_renders(members_topic):
    """A field the card does not show today changes the key too: showing it later cannot go
    stale."""
    post = Post.objects.select_related("author").get(topic=members_topic)
    before = digest({"post": post})
    post.client_token = "another"
    assert digest({"post": post}) != before
    post.client_token = ""
    post.author.bio = "New bio"
    assert digest({"post": post}) != before


def test_a_kept_post_s_key_still_changes_with_what_is_set_on_it_after_reading(members_topic):
    """kept_digest describes a post once, as it is kept; what a view sets on it later (a reader's
    marks, a related row) still changes the key, and the key differs from another post's."""
    import pickle

    from portal.caching import kept_digest

    posts = list(Post.objects.select_related("author").filter(topic=members_topic))
    for post in posts:
        kept_digest(post)
    post = pickle.loads(pickle.dumps(posts[0]))  # noqa: S301 (as a kept page gives it back)
    before = digest({"post": post})
    post.is_new = True
    assert digest({"post": post}) != before
    del post.is_new
    assert digest({"post": post}) == before
    post.topic = members_topic
    assert digest({"post": post}) != before
    other = Post.objects.select_related("author").get(
        pk=make_reply(members_topic, members_topic.author).pk)
    kept_digest(other)
    assert digest({"post": other}) != before


def test_a_key_refuses_a_model_whose_update_would_leave_it_stale():
    from portal.models import NotificationPreference

    with pytest.raises(ImproperlyConfigured):
        Key("test:preferences").depends_on(NotificationPreference, "pk")


def test_make_topic_helper_still_drops_the_list(client, member, questions):
    client.force_login(member)
    forum_page(client, questions.forum)
    make_topic(questions, member, title="Made by save")
    assert "Made by save" in forum_page(client, questions.forum)
