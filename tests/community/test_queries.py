"""List pages issue the same number of queries whatever their length."""

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from community.models import PostImage, Reaction, TopicRead
from portal.models import User
from tests.factories import PASSWORD, make_reply, make_topic

pytestmark = pytest.mark.django_db


def _png() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "pink").save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="a.png")


def _topic_with(posts: int, questions, reader):
    # No password hashing: only the page is measured, and hashing 70 passwords is slow.
    authors = [User.objects.create(email=f"a{posts}-{n}@example.com", avatar="avatars/a.png")
               for n in range(posts)]
    topic = make_topic(questions, authors[0])
    for author in authors[1:]:
        post = make_reply(topic, author)
        PostImage.objects.create(post=post, image=_png())
        Reaction.objects.create(post=post, user=reader, kind="like")
        Reaction.objects.create(post=post, user=authors[0], kind="helpful")
    return topic


def _count(client, url) -> int:
    client.get(url)  # fills the per-user cache (portal.caching.users), as an earlier page would
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_topic_page_queries_do_not_grow_with_posts(client, member, questions):
    client.login(email=member.email, password=PASSWORD)
    small = _topic_with(5, questions, member)
    large = _topic_with(20, questions, member)
    few = _count(client, small.get_absolute_url())
    assert _count(client, large.get_absolute_url()) == few
    assert few <= 4


def test_topic_list_queries_do_not_grow_with_topics(client, member, questions, providers_forum):
    client.login(email=member.email, password=PASSWORD)
    url = questions.forum.get_absolute_url()
    for n in range(5):
        make_topic(questions, User.objects.create(email=f"t{n}@example.com"))
    few = _count(client, url)
    for n in range(45):
        make_topic(questions, User.objects.create(email=f"u{n}@example.com"))
    assert _count(client, url) == few
    # the session without Redis; the topics and the reader's marks are kept (community.selectors)
    assert few <= 1


def test_a_topic_page_already_read_writes_nothing(client, member, questions):
    client.login(email=member.email, password=PASSWORD)
    topic = _topic_with(3, questions, member)
    client.get(topic.get_absolute_url())  # marks it read
    with CaptureQueriesContext(connection) as queries:
        assert client.get(topic.get_absolute_url()).status_code == 200
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    reply = make_reply(topic, User.objects.create(email="late@example.com"))
    client.get(topic.get_absolute_url())
    assert TopicRead.objects.get(user=member, topic=topic).last_read_post_id == reply.pk


def test_forums_and_categories_are_read_once_and_an_edit_shows_at_once(client, member,
                                                                       questions):
    client.login(email=member.email, password=PASSWORD)
    url = questions.forum.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries if 'FROM "community_forum"' in q["sql"].split("WHERE")[0]
                or 'FROM "community_category"' in q["sql"].split("WHERE")[0]]
    questions.name = "Ask the pros"
    questions.save()
    assert "Ask the pros" in client.get(url).content.decode()
    questions.forum.name = "Members' lounge"
    questions.forum.save()
    assert "Members&#x27; lounge" in client.get(url).content.decode()
    questions.delete()
    assert "Ask the pros" not in client.get(url).content.decode()


def test_topic_list_rows_are_plain_values_named_from_the_forum(client, member, questions):
    """Rows are read as values (no topic, user or category models built); each shows its
    category's name, taken from the cached forum rather than joined."""
    from community import selectors

    make_topic(questions, User.objects.create(email="rin@example.com", display_name=""),
               title="Base coats")
    _page, rows, _key = selectors.topic_list_page(forum=questions.forum, user=member,
                                                  category=None, page_number=1)
    assert [(row.title, row.author_name, row.category_name) for row in rows] == [
        ("Base coats", "rin", questions.name)]
    client.login(email=member.email, password=PASSWORD)
    client.get(questions.forum.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        html = client.get(questions.forum.get_absolute_url()).content.decode()
    assert "Base coats" in html and rows[0].url in html
    assert not [q for q in queries if '"community_category"' in q["sql"]
                or '"portal_user"."password"' in q["sql"]]


def test_a_category_the_cached_forums_do_not_know_yet_still_shows(client, member, questions):
    from community.models import Category

    client.login(email=member.email, password=PASSWORD)
    url = questions.forum.get_absolute_url()
    client.get(url)  # the forums are cached
    # Written without signals (as a data migration would): the cache does not hear of it.
    fresh = Category.objects.bulk_create([Category(forum=questions.forum, name="Fresh picks")])[0]
    topic = make_topic(fresh, member, title="In a fresh category")
    page = client.get(topic.get_absolute_url())
    assert page.status_code == 200 and "Fresh picks" in page.content.decode()
    listing = client.get(url)
    assert listing.status_code == 200 and "In a fresh category" in listing.content.decode()
