"""A post's photo is seen by whoever may see the post: at its private address only, never at /media/."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from community import services
from community.models import Post, PostImage
from tests.factories import make_topic, trusted
from tests.uploads import get_as, image_upload

pytestmark = pytest.mark.django_db

MIGRATION = import_module("community.migrations.0010_private_post_images")
LINKS = "See [a](https://a.example), [b](https://b.example) and [c](https://c.example)"


def _jpeg(name="IMG_2041 Mei at home.jpg"):
    return image_upload(name, "JPEG")


def _status(client, user, url) -> int:
    return get_as(client, user, url).status_code


@pytest.fixture
def held_image(members_topic, member):
    """A new member's reply with three links waits for a moderator (community.services._hold_reason)."""
    post = services.create_reply(author=member, topic=members_topic, body=LINKS, image=_jpeg())
    assert post.status == Post.Status.HELD
    return post.images.get()


def _published_image(topic, author) -> PostImage:
    post = services.create_reply(author=trusted(author), topic=topic, body="Look", image=_jpeg())
    assert post.status == Post.Status.PUBLISHED
    return post.images.get()


def test_held_post_image_is_404_to_everyone_but_its_author_and_moderators(
        client, held_image, member, other_member, provider, moderator):
    url = held_image.image.url
    assert url.startswith("/files/forum/")
    for user in (None, other_member, provider):
        assert _status(client, user, url) == 404
    for user in (member, moderator):
        assert _status(client, user, url) == 200


def test_post_image_is_never_served_at_its_public_path(client, held_image, member, moderator):
    name = held_image.image.name
    assert "IMG" not in name and "Mei" not in name
    # The proxy serves all of MEDIA_ROOT in production; the test route serves the same folder.
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
    for user in (None, member, moderator):
        assert _status(client, user, f"/media/{name}") == 404


def test_published_post_image_is_seen_by_the_forums_readers(client, members_topic, member):
    url = _published_image(members_topic, member).image.url
    assert _status(client, None, url) == 200


def test_providers_forum_image_is_404_to_members(client, providers_topic, provider, member):
    url = _published_image(providers_topic, provider).image.url
    assert _status(client, member, url) == 404
    assert _status(client, provider, url) == 200


def test_hidden_or_deleted_post_image_is_for_moderators_only(client, members_topic, member,
                                                             other_member, moderator):
    hidden = _published_image(members_topic, member)
    services.hide_post(moderator=moderator, post=hidden.post)
    deleted = _published_image(members_topic, other_member)
    services.delete_post(user=other_member, post=deleted.post)
    for image in (hidden, deleted):
        assert _status(client, None, image.image.url) == 404
        assert _status(client, image.post.author, image.image.url) == 404
        assert _status(client, moderator, image.image.url) == 200


def test_topic_page_shows_the_held_image_to_its_author_at_the_private_address(
        client, held_image, member, members_topic):
    client.force_login(member)
    body = client.get(members_topic.get_absolute_url()).content.decode()
    assert f'src="{held_image.image.url}"' in body
    assert "/media/forum" not in body


def test_migration_moves_old_public_post_images(client, questions, member, other_member,
                                                django_capture_on_commit_callbacks):
    image = _published_image(make_topic(questions, other_member), member)
    old = "forum/2025/05/IMG_2041 Mei at home.jpg"
    path = Path(settings.MEDIA_ROOT) / old
    path.parent.mkdir(parents=True)
    path.write_bytes(b"old bytes")
    PostImage.objects.filter(pk=image.pk).update(image=old)
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.make_post_images_private(django_apps, None)
    image.refresh_from_db()
    assert image.image.name.startswith("forum/") and "IMG" not in image.image.name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / image.image.name).read_bytes() == b"old bytes"
    assert not path.exists()
    assert _status(client, None, f"/media/{old}") == 404
