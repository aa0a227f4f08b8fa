"""Posting rules: mentions, watching, unread marks, new-member limits, pacing, edits, deletes."""

import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community import selectors, services
from community.errors import ForumError
from community.models import Post, PostImage, PostRevision, Reaction, Topic, Watch
from portal.models import Notification
from tests.factories import PASSWORD, make_reply, make_topic, trusted, unpace

pytestmark = pytest.mark.django_db


def _png(**exif) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", (40, 30), "pink")
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"
        image.save(buffer, format="JPEG", exif=data)
        return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def test_mention_notifies_the_mentioned_member_once(member, other_member, questions):
    trusted(other_member)
    topic = make_topic(questions, member)
    services.create_reply(author=other_member, topic=topic, body="Thanks @Mei, and @mei again")
    notes = Notification.objects.filter(user=member, kind="forum_mention")
    assert notes.count() == 1
    assert "Otto" in notes.get().message
    assert notes.get().url.startswith("/community/posts/")
    # The topic's author also watches it, but a mention already told her: no second note.
    assert not Notification.objects.filter(user=member, kind="forum_reply").exists()


def test_mention_of_a_member_in_the_providers_forum_does_not_leak(member, provider, voice):
    trusted(provider)
    topic = make_topic(voice, provider)
    services.create_reply(author=provider, topic=topic, body="@Mei should not see this")
    assert not Notification.objects.filter(user=member).exists()


def test_watchers_of_a_topic_hear_of_replies(member, other_member, provider, questions):
    trusted(other_member)
    topic = make_topic(questions, member)
    services.set_watch(user=provider, topic=topic, watching=True)
    services.set_watch(user=provider, topic=topic, watching=True)
    services.create_reply(author=other_member, topic=topic, body="A reply")
    assert Notification.objects.filter(user=provider, kind="forum_reply").count() == 1
    assert Watch.objects.filter(user=other_member, topic=topic).exists()


def test_watchers_of_a_category_hear_of_new_topics(member, other_member, questions):
    trusted(member)
    services.set_watch(user=other_member, category=questions, watching=True)
    services.create_topic(author=member, category=questions, title="Gel or dip?", body="Which?")
    assert Notification.objects.filter(user=other_member, kind="forum_topic").count() == 1


def test_unread_tracking_marks_new_posts_and_jumps_to_first_unread(client, member,
                                                                   other_member, questions):
    topic = make_topic(questions, other_member)
    client.login(email=member.email, password=PASSWORD)
    client.get(topic.get_absolute_url())
    first_new = make_reply(topic, other_member, "first new")
    make_reply(topic, other_member, "second new")
    listing = client.get(questions.forum.get_absolute_url()).content.decode()
    assert "new-marker" in listing
    jump = client.get(f"/community/members/{topic.pk}-topic/unread/")
    assert jump["Location"] == f"/community/posts/{first_new.pk}/"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert page.count('class="badge badge-accent new-marker"') == 2
    # Having read the page, nothing is new any more.
    assert "new-marker" not in client.get(questions.forum.get_absolute_url()).content.decode()


def test_a_topic_titled_in_chinese_keeps_its_address(client, member, questions):
    topic = services.create_topic(author=trusted(member), category=questions, title="凝膠指甲可以維持多久",
                                  body="兩週？")
    assert unquote(topic.get_absolute_url()) == f"/community/members/{topic.pk}-凝膠指甲可以維持多久/"
    client.force_login(member)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert client.get(f"{topic.get_absolute_url()}unread/").status_code == 302


def test_permalink_finds_the_page_of_the_post(client, member, questions):
    topic = make_topic(questions, member)
    posts = [make_reply(topic, member, f"reply {n}") for n in range(25)]
    response = client.get(posts[-1].get_absolute_url())
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-{posts[-1].pk}"
    page2 = client.get(f"{topic.get_absolute_url()}?page=2").content.decode()
    assert f'id="post-{posts[-1].pk}"' in page2


def test_new_member_third_topic_of_the_day_is_fine_fourth_is_held(member, questions):
    for n in range(3):
        services.create_topic(author=member, category=questions, title=f"T{n}", body="hello")
        unpace(member)
    topic = services.create_topic(author=member, category=questions, title="T4", body="hello")
    post = topic.posts.get()
    assert post.status == Post.Status.HELD and post.hold_reason == "topics_a_day"
    assert post.source == "hello"


def test_new_member_eleventh_reply_is_held(member, other_member, questions):
    topic = make_topic(questions, other_member)
    statuses = []
    for n in range(11):
        statuses.append(services.create_reply(author=member, topic=topic, body=f"r{n}").status)
        unpace(member)
    assert statuses[:10] == [Post.Status.PUBLISHED] * 10
    assert statuses[10] == Post.Status.HELD


def test_new_member_three_links_are_held_and_a_moderator_approves(member, other_member,
                                                                   moderator, questions):
    topic = make_topic(questions, other_member)
    services.set_watch(user=other_member, topic=topic, watching=True)
    body = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    post = services.create_reply(author=member, topic=topic, body=body)
    assert post.status == Post.Status.HELD and post.hold_reason == "links"
    assert not Notification.objects.filter(user=other_member).exists()
    services.approve_post(moderator=moderator, post=post)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert Notification.objects.filter(user=other_member, kind="forum_reply").exists()


def test_trusted_member_is_not_held(member, other_member, questions):
    trusted(member)
    for _n in range(3):
        make_reply(make_topic(questions, other_member), member)
    body = "[a](https://a.example) [b](https://b.example) [c](https://c.example)"
    post = services.create_reply(author=member, topic=make_topic(questions, other_member),
                                 body=body)
    assert post.status == Post.Status.PUBLISHED


def test_pacing_refuses_a_second_post_within_15_seconds_with_the_wait(client, member,
                                                                      other_member, questions):
    topic = make_topic(questions, other_member)
    client.login(email=member.email, password=PASSWORD)
    client.post(topic.get_absolute_url(), {"body": "first"})
    response = client.post(topic.get_absolute_url(), {"body": "second, kept"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "too fast" in text and "seconds" in text
    assert "second, kept" in text
    assert not Post.objects.filter(source="second, kept").exists()


def test_locked_topic_refuses_replies_but_not_moderators(member, moderator, questions):
    topic = make_topic(questions, member)
    services.set_topic_locked(moderator=moderator, topic=topic, locked=True)
    with pytest.raises(ForumError) as exc:
        services.create_reply(author=member, topic=topic, body="hello?")
    assert exc.value.code == "locked"
    services.create_reply(author=moderator, topic=topic, body="Locked, see rules")


def test_author_edits_within_30_minutes_with_history(member, questions):
    topic = make_topic(questions, member, body="first text")
    post = topic.posts.get()
    services.edit_post(editor=member, post=post, body="second **text**")
    post.refresh_from_db()
    assert post.html == "<p>second <strong>text</strong></p>\n"
    assert PostRevision.objects.get(post=post).source == "first text"
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    with pytest.raises(ForumError) as exc:
        services.edit_post(editor=member, post=post, body="third")
    assert exc.value.code == "edit_window_over"


def test_others_cannot_edit_or_delete(member, other_member, questions):
    post = make_topic(questions, member).posts.get()
    with pytest.raises(ForumError):
        services.edit_post(editor=other_member, post=post, body="mine now")
    with pytest.raises(ForumError):
        services.delete_post(user=other_member, post=post)


def test_soft_delete_keeps_the_row_and_shows_a_placeholder(client, member, questions):
    topic = make_topic(questions, member, body="regrettable words")
    post = topic.posts.get()
    services.delete_post(user=member, post=post)
    services.delete_post(user=member, post=post)
    assert Post.objects.filter(pk=post.pk, deleted_at__isnull=False).exists()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "regrettable words" not in page and "This post was deleted." in page


def test_reactions_toggle_and_count(client, member, other_member, questions):
    post = make_topic(questions, member).posts.get()
    assert services.toggle_reaction(user=other_member, post=post, kind="like") is True
    services.toggle_reaction(user=member, post=post, kind="like")
    services.toggle_reaction(user=member, post=post, kind="helpful")
    assert services.toggle_reaction(user=member, post=post, kind="helpful") is False
    assert Reaction.objects.filter(post=post, kind="like").count() == 2
    with pytest.raises(ForumError):
        services.toggle_reaction(user=member, post=post, kind="angry")
    topic = selectors.find_topic(forum=questions.forum, topic_id=post.topic_id, user=member)
    state = selectors.topic_page(topic=topic, user=member, page_number=1)
    shown = state["page"].object_list[0]
    assert (shown.likes, shown.helpfuls, shown.my_kinds) == (2, 0, {"like"})


def test_quote_reply_prefills_the_quoted_text(client, member, other_member, questions):
    topic = make_topic(questions, other_member, body="Use a base coat")
    post = topic.posts.get()
    client.login(email=member.email, password=PASSWORD)
    page = client.get(f"{topic.get_absolute_url()}?quote={post.pk}").content.decode()
    assert "&gt; **@Otto**\n&gt; Use a base coat" in page


def test_topic_with_image_is_re_encoded_without_exif(client, member, questions):
    client.login(email=member.email, password=PASSWORD)
    response = client.post("/community/members/new/", {
        "category": questions.pk, "title": "My nails", "body": "Fresh from the salon",
        "image": _png(exif=True),
    })
    assert response.status_code == 302
    stored = PostImage.objects.get()
    with Image.open(stored.image.path) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert stored.image.name.endswith(".jpg")
    assert Topic.objects.get().posts.get().images.count() == 1


def test_reply_form_sent_twice_posts_once(client, member, other_member, questions):
    """The second sending stands for a retry after a lost answer: it gets the same post back."""
    topic = make_topic(questions, other_member)
    client.login(email=member.email, password=PASSWORD)
    form = {"body": "Sent during a restart", "token": "b7c1d9e2f3a4"}
    first = client.post(topic.get_absolute_url(), form)
    second = client.post(topic.get_absolute_url(), form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Post.objects.filter(author=member, source=form["body"]).count() == 1
    # A new page view brings a new token: the same words can be posted again (once paced).
    unpace(member)
    client.post(topic.get_absolute_url(), {**form, "token": "c8d2e0f4a5b6"})
    assert Post.objects.filter(author=member, source=form["body"]).count() == 2


def test_topic_form_sent_twice_opens_one_topic(client, member, questions):
    client.login(email=member.email, password=PASSWORD)
    form = {"category": questions.pk, "title": "Gel or acrylic?", "body": "Which lasts?",
            "token": "d9e3f1a5b6c7"}
    first = client.post("/community/members/new/", form)
    second = client.post("/community/members/new/", form)
    assert first["Location"] == second["Location"]
    assert Topic.objects.filter(title="Gel or acrylic?").count() == 1


def test_each_view_of_the_reply_form_carries_a_new_token(client, member, other_member, questions):
    topic = make_topic(questions, other_member)
    client.login(email=member.email, password=PASSWORD)
    tokens = {client.get(topic.get_absolute_url()).context["form"]["token"].value() for _ in range(2)}
    assert len(tokens) == 2 and all(len(token) == 32 for token in tokens)


def test_topic_list_reads_only_what_its_rows_show(client, member, other_member, questions):
    """Each row's author and category columns, not their whole rows (nor the forum again), and no
    deferred column read later: the same queries for 2 topics as for 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = questions.forum.get_absolute_url()
    client.force_login(member)
    client.get(url)  # the reader's own rows are cached (portal.caching.users)

    def view():  # a new topic drops the kept list: read again
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, [query["sql"] for query in queries]

    for n in range(2):
        make_topic(questions, other_member, title=f"Topic {n}")
    _, few = view()
    for n in range(2, 12):
        make_topic(questions, member, title=f"Topic {n}")
    html, many = view()
    assert len(many) == len(few) and "Topic 11" in html and other_member.name in html
    topic_reads = [sql for sql in many if 'FROM "community_topic"' in sql]
    assert topic_reads and not [sql for sql in topic_reads if '"portal_user"."password"' in sql
                                or '"community_forum"."description"' in sql]


def test_topic_list_rows_come_from_the_cache_and_never_go_stale(client, member, other_member,
                                                                questions):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    topic = make_topic(questions, other_member, title="Gel or dip?")
    url = questions.forum.get_absolute_url()
    client.force_login(member)
    first = client.get(url)
    key = make_template_fragment_key(
        "topic_rows", [first.context["rows_key"], first.context["LANGUAGE_CODE"],
                       first.context["can_post"]])
    assert "Gel or dip?" in cache.get(key)
    cache.set(key, "<ul>as stored</ul>")
    assert "as stored" in client.get(url).content.decode()
    # Whatever a row shows names other rows: a reply (count and time), a renamed author, a title.
    make_reply(topic, member, "A reply")
    assert "as stored" not in client.get(url).content.decode()
    other_member.display_name = "Renamed"
    other_member.save()
    assert "Renamed" in client.get(url).content.decode()
    topic.title = "Dip wins"
    topic.save()
    assert "Dip wins" in client.get(url).content.decode()
