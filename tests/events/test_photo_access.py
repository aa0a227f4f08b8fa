"""An event photo waits unseen (but by its author and the moderators) until approved, then is public;
either way at its private address only, never at /media/."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from events import services
from events.models import EventPhoto
from tests.factories import attend, end_event
from tests.uploads import get_as, image_upload

pytestmark = pytest.mark.django_db

MIGRATION = import_module("events.migrations.0004_private_event_photos")


def _png(name="DSC_0042 party.png"):
    return image_upload(name, size=(20, 20))


def _status(client, user, url) -> int:
    return get_as(client, user, url).status_code


@pytest.fixture
def photo(event, member, staff):
    attend(event, member, staff)
    return services.add_event_photo(event=end_event(event), member=member, image=_png(), caption="Fun")


def test_waiting_photo_is_404_to_all_but_its_author_and_moderators(client, photo, member, other_member,
                                                                   provider, staff, moderator):
    url = photo.image.url
    assert url.startswith("/files/event-photos/") and "DSC" not in url
    for user in (None, other_member, provider, staff):
        assert _status(client, user, url) == 404
    for user in (member, moderator):
        assert _status(client, user, url) == 200


def test_approved_photo_is_public_at_its_private_address(client, photo, moderator):
    services.approve_event_photo(photo_id=photo.pk, moderator=moderator)
    assert _status(client, None, photo.image.url) == 200


def test_photo_is_never_served_at_its_public_path(client, photo, member, moderator):
    services.approve_event_photo(photo_id=photo.pk, moderator=moderator)
    # The proxy serves all of MEDIA_ROOT in production; the test route serves the same folder.
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
    for user in (None, member, moderator):
        assert _status(client, user, f"/media/{photo.image.name}") == 404


def test_moderation_and_event_pages_show_the_private_address(client, photo, moderator):
    assert photo.image.url.startswith("/files/event-photos/")
    client.force_login(moderator)
    assert f'src="{photo.image.url}"' in client.get("/events/moderation/photos/").content.decode()
    services.approve_event_photo(photo_id=photo.pk, moderator=moderator)
    client.logout()
    assert f'src="{photo.image.url}"' in client.get(photo.event.url).content.decode()


def test_rejected_photo_file_is_deleted(photo, moderator):
    path = Path(settings.PRIVATE_MEDIA_ROOT) / photo.image.name
    assert path.is_file()
    services.reject_event_photo(photo_id=photo.pk, moderator=moderator)
    assert not path.exists()


def test_migration_moves_old_public_event_photos(client, photo, django_capture_on_commit_callbacks):
    old = "event-photos/2025/05/DSC_0042 party.png"
    path = Path(settings.MEDIA_ROOT) / old
    path.parent.mkdir(parents=True)
    path.write_bytes(b"old bytes")
    EventPhoto.objects.filter(pk=photo.pk).update(image=old)
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.make_event_photos_private(django_apps, None)
    photo.refresh_from_db()
    assert photo.image.name.startswith("event-photos/") and "DSC" not in photo.image.name
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / photo.image.name).read_bytes() == b"old bytes"
    assert not path.exists()
    assert _status(client, None, f"/media/{old}") == 404
