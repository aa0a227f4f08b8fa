"""Reports, the moderators' queue, hide/restore, lock, move, suspend and the audit log."""

import pytest

from community import services
from community.errors import ForumError
from community.models import ModerationAction, Post, Report
from portal.models import Notification
from tests.factories import PASSWORD, make_topic

pytestmark = pytest.mark.django_db


def test_report_is_queued_once_and_hiding_resolves_it(client, member, other_member, moderator,
                                                      questions):
    topic = make_topic(questions, other_member, body="buy cheap pills")
    post = topic.posts.get()
    client.login(email=member.email, password=PASSWORD)
    for _ in range(2):
        client.post(f"/community/posts/{post.pk}/report/", {"reason": "spam", "text": "ad"})
    assert Report.objects.filter(resolved_at__isnull=True).count() == 1
    client.login(email=moderator.email, password=PASSWORD)
    queue = client.get("/community/moderation/").content.decode()
    assert "buy cheap pills" in queue
    client.post(f"/community/moderation/posts/{post.pk}/hide/")
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    client.logout()
    assert "buy cheap pills" not in client.get(topic.get_absolute_url()).content.decode()
    services.restore_post(moderator=moderator, post=post)
    assert "buy cheap pills" in client.get(topic.get_absolute_url()).content.decode()
    actions = list(ModerationAction.objects.values_list("action", flat=True))
    assert actions == ["restore", "hide"]


def test_move_topic_to_another_forum_and_lock(client, member, moderator, questions, voice):
    topic = make_topic(questions, member)
    client.login(email=moderator.email, password=PASSWORD)
    client.post(f"/community/moderation/topics/{topic.pk}/move/", {"category": voice.pk})
    client.post(f"/community/moderation/topics/{topic.pk}/lock/")
    topic.refresh_from_db()
    assert (topic.forum, topic.category, topic.locked) == (voice.forum, voice, True)
    assert ModerationAction.objects.filter(action="move", topic=topic).exists()
    assert ModerationAction.objects.filter(action="lock", topic=topic).exists()


def test_suspended_user_reads_but_cannot_post_or_react(client, member, other_member, moderator,
                                                       questions):
    topic = make_topic(questions, other_member)
    client.login(email=moderator.email, password=PASSWORD)
    client.post(f"/community/moderation/users/{member.pk}/suspend/", {"days": 3, "note": "spam"})
    member.refresh_from_db()
    assert member.is_suspended
    assert Notification.objects.filter(user=member, kind="forum_moderation").exists()
    assert ModerationAction.objects.get(action="suspend").target_user == member
    client.login(email=member.email, password=PASSWORD)
    page = client.get(topic.get_absolute_url())
    assert page.status_code == 200 and "you can read, but not post" in page.content.decode()
    assert client.post(topic.get_absolute_url(), {"body": "x"}).status_code == 403
    with pytest.raises(ForumError):
        services.toggle_reaction(user=member, post=topic.posts.get(), kind="like")


def test_members_cannot_moderate(member, other_member, questions):
    post = make_topic(questions, other_member).posts.get()
    for call in (
        lambda: services.hide_post(moderator=member, post=post),
        lambda: services.suspend_user(moderator=member, user=other_member, days=3, note="x"),
        lambda: services.set_topic_locked(moderator=member, topic=post.topic, locked=True),
    ):
        with pytest.raises(ForumError):
            call()
    assert not ModerationAction.objects.exists()


def test_held_posts_are_visible_to_author_and_moderators_only(client, member, other_member,
                                                              moderator, questions):
    topic = make_topic(questions, other_member)
    body = "[a](https://a.example) [b](https://b.example) [c](https://c.example) held-text"
    services.create_reply(author=member, topic=topic, body=body)
    client.login(email=member.email, password=PASSWORD)
    assert "Waiting for a moderator" in client.get(topic.get_absolute_url()).content.decode()
    client.login(email=other_member.email, password=PASSWORD)
    assert "held-text" not in client.get(topic.get_absolute_url()).content.decode()
    client.login(email=moderator.email, password=PASSWORD)
    assert "held-text" in client.get("/community/moderation/").content.decode()


def test_moderators_edit_categories_in_the_wagtail_admin(client, moderator, member,
                                                         members_forum):
    client.login(email=moderator.email, password=PASSWORD)
    listing = client.get("/admin/snippets/community/category/")
    assert listing.status_code == 200 and "Care talk" in listing.content.decode()
    client.login(email=member.email, password=PASSWORD)
    assert client.get("/admin/snippets/community/category/").status_code in (302, 403)


def test_pinned_topic_heads_the_list(client, member, moderator, questions):
    old = make_topic(questions, member, title="Old but important")
    make_topic(questions, member, title="Newer chatter")
    services.set_topic_pinned(moderator=moderator, topic=old, pinned=True)
    listing = client.get(questions.forum.get_absolute_url()).content.decode()
    assert listing.index("Old but important") < listing.index("Newer chatter")
    assert ModerationAction.objects.filter(action="pin", topic=old).exists()


def test_each_moderator_action_confirms_what_it_did(client, member, moderator, questions):
    topic = make_topic(questions, member)
    post = topic.posts.get()
    client.force_login(moderator)
    said = []
    for url in (f"/community/moderation/posts/{post.pk}/hide/",
                f"/community/moderation/posts/{post.pk}/restore/",
                f"/community/moderation/topics/{topic.pk}/lock/",
                f"/community/moderation/topics/{topic.pk}/pin/"):
        page = client.post(url, follow=True)
        said.append([str(message) for message in page.context["messages"]])
    assert said == [["The post is hidden."], ["The post is restored."], ["The topic is locked."],
                    ["The topic is pinned."]]
