"""A topic whose first post waits for a moderator is its author's and the moderators' only, in
every place a topic shows (lists, pages, search, the home page, notifications, live updates), and
everyone's as soon as it is approved, whatever the caches hold."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from community import services
from community.consumers import can_follow_topic
from community.errors import ForumError
from community.models import Post, Topic, Watch
from portal.models import Notification
from tests.factories import make_topic, trusted, unpace

pytestmark = pytest.mark.django_db

TITLE = "Held title Quokka"
# Three links from a new member: held for a moderator (services.NEW_MEMBER_LINKS).
LINKS = "[a](https://a.example) [b](https://b.example) [c](https://c.example) wombat"


@pytest.fixture
def held(member, questions):
    topic = services.create_topic(author=member, category=questions, title=TITLE, body=LINKS)
    assert topic.posts.get().status == Post.Status.HELD
    return topic


def shows(client, user, url, text=TITLE) -> bool:
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(url)
    return response.status_code == 200 and text in response.content.decode()


def test_held_topic_is_in_the_list_of_its_author_and_moderators_only(
        client, held, member, other_member, moderator, questions):
    forum_url = questions.forum.get_absolute_url()
    category_url = f"{forum_url}?category={questions.pk}"
    for url in (forum_url, category_url):
        assert not shows(client, other_member, url)  # the shared list is read and kept first
        assert not shows(client, None, url)
        assert shows(client, member, url, "Waiting for a moderator")
        assert shows(client, member, url)
        assert shows(client, moderator, url)
        assert not shows(client, other_member, url)


def test_held_topic_page_and_its_posts_answer_404_to_others(
        client, held, member, other_member, moderator):
    post = held.posts.get()
    urls = [held.get_absolute_url(), f"{held.get_absolute_url()}unread/",
            f"/community/posts/{post.pk}/", f"/community/posts/{post.pk}/report/"]
    client.force_login(other_member)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/community/topics/{held.pk}/watch/", {"watch": "1"}).status_code == 404
    assert client.post(held.get_absolute_url(), {"body": "first!"}).status_code == 404
    assert not Watch.objects.filter(user=other_member).exists()
    client.logout()
    assert client.get(held.get_absolute_url()).status_code == 404
    assert shows(client, member, held.get_absolute_url(), "only its author and the moderators")
    assert shows(client, moderator, held.get_absolute_url(), "wombat")
    with pytest.raises(ForumError):
        services.create_reply(author=trusted(other_member), topic=held, body="by id")


def test_approval_shows_the_topic_to_everyone_at_once(
        client, held, member, other_member, moderator, questions):
    Watch.objects.create(user=other_member, category=questions)
    forum_url = questions.forum.get_absolute_url()
    assert not shows(client, other_member, forum_url)
    assert client.get(held.get_absolute_url()).status_code == 404  # both kept in the cache
    assert not Notification.objects.filter(user=other_member).exists()
    client.force_login(moderator)
    client.post(f"/community/moderation/posts/{held.posts.get().pk}/approve/")
    assert not Topic.objects.get(pk=held.pk).held
    assert shows(client, other_member, forum_url)
    assert shows(client, other_member, held.get_absolute_url(), "wombat")
    assert shows(client, member, forum_url) and shows(client, moderator, forum_url)
    assert Notification.objects.filter(user=other_member, kind="forum_topic").exists()


def test_a_moderator_hiding_a_held_first_post_keeps_the_topic_held(
        client, held, other_member, moderator):
    post = held.posts.get()
    services.hide_post(moderator=moderator, post=post)
    assert Topic.objects.get(pk=held.pk).held
    client.force_login(other_member)
    assert client.get(held.get_absolute_url()).status_code == 404
    services.restore_post(moderator=moderator, post=post)  # the post goes live after all
    assert shows(client, other_member, held.get_absolute_url(), "wombat")


def test_search_and_the_home_page_leave_out_held_topics(
        client, site_tree, held, member, other_member, moderator, questions):
    make_topic(questions, other_member, title="Busy published topic")
    for user in (other_member, None):
        assert not shows(client, user, "/search/?q=Quokka")
        assert not shows(client, user, "/search/?q=wombat")
        assert shows(client, user, "/", "Busy published topic")
        assert not shows(client, user, "/")
    assert shows(client, member, "/search/?q=wombat")
    assert shows(client, moderator, "/search/?q=Quokka")


def test_a_held_or_deleted_reply_is_not_found_by_its_text(
        client, member, other_member, moderator, questions):
    topic = make_topic(questions, other_member, title="Open topic")
    services.create_reply(author=member, topic=topic, body=LINKS)  # held
    gone = Post.objects.create(topic=topic, author=other_member, source="numbat", html="x",
                               deleted_at=topic.created_at)
    for word in ("wombat", "numbat"):
        assert not shows(client, None, f"/search/?q={word}", "Open topic")
    assert shows(client, member, "/search/?q=wombat", "Open topic")
    assert shows(client, moderator, f"/search/?q={gone.source}", "Open topic")


def test_a_reply_in_a_held_topic_tells_no_one_who_cannot_see_it(
        held, member, other_member, moderator):
    unpace(member)
    reply = services.create_reply(author=member, topic=held, body="Thanks @Otto and @Mo")
    assert reply.status == Post.Status.PUBLISHED
    assert not Notification.objects.filter(user=other_member).exists()
    assert Notification.objects.filter(user=moderator, kind="forum_mention").exists()


def test_only_its_author_and_moderators_follow_a_held_topic_live(held, member, other_member,
                                                                 moderator):
    assert can_follow_topic(member, held.pk) and can_follow_topic(moderator, held.pk)
    assert not can_follow_topic(other_member, held.pk)


def test_the_migration_marks_topics_whose_first_post_is_held(member, questions):
    waiting = make_topic(questions, member, title="Waiting")
    Post.objects.filter(topic=waiting).update(status=Post.Status.HELD)
    live = make_topic(questions, member, title="Live")
    Post.objects.create(topic=live, author=member, source="x", html="x", status=Post.Status.HELD)
    import_module("community.migrations.0008_topic_held").mark_held_topics(django_apps, None)
    assert list(Topic.objects.filter(held=True)) == [waiting]
