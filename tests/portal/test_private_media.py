"""Private uploads (portal.private_media): certificates are stored out of /media/ under random names and
served only to their applicant and moderators; the serving view's headers, its 404s, the data migration."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse

from portal import private_media
from portal.models import ProviderApplication
from tests.factories import make_user
from tests.uploads import get_as, image_bytes, image_upload

pytestmark = pytest.mark.django_db

MIGRATION = import_module("portal.migrations.0006_private_certificates")


@pytest.fixture
def application(client, member, store):
    """Sent through /me/provider/, as a member does, with a file named after the member."""
    client.force_login(member)
    upload = image_upload("Mei Chen licence.png")
    client.post(reverse("portal:provider_application"), {
        "specialties": "Nail art", "years_experience": 3, "home_store": store.pk, "certificate": upload})
    client.logout()
    return ProviderApplication.objects.get(user=member)


@pytest.fixture
def outsiders(other_member, provider, editor):
    """Signed-in people who are neither the applicant nor a moderator, and None for a visitor."""
    staff = make_user("staff@example.com", "Store staff", display_name="Stu")
    return [None, other_member, provider, editor, staff]


def test_certificate_is_stored_under_a_random_name_outside_media_root(application):
    name = application.certificate.name
    assert name.startswith("certificates/") and name.endswith(".png")
    assert "licence" not in name.lower() and "mei" not in name.lower()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / name).is_file()


def test_certificate_is_not_served_at_its_public_path(client, application, outsiders, member, moderator):
    # The proxy serves all of MEDIA_ROOT in production; the test route serves the same folder.
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
    for user in [*outsiders, member, moderator]:
        assert get_as(client, user, f"/media/{application.certificate.name}").status_code == 404


def test_certificate_is_404_to_visitors_other_members_and_non_moderators(client, application, outsiders):
    url = application.certificate.url
    assert url == reverse("private_file", kwargs={"name": application.certificate.name})
    for user in outsiders:
        assert get_as(client, user, url).status_code == 404, user


def test_applicant_and_moderator_get_the_bytes_with_private_headers(client, application, member,
                                                                    moderator):
    stored = (Path(settings.PRIVATE_MEDIA_ROOT) / application.certificate.name).read_bytes()
    for user in (member, moderator):
        response = get_as(client, user, application.certificate.url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("private")


def test_provider_page_links_the_applicant_to_the_protected_certificate(client, application, member):
    client.force_login(member)
    body = client.get(reverse("portal:provider_application")).content.decode()
    assert f'href="{application.certificate.url}"' in body
    assert "View the certificate you sent" in body


def test_moderators_review_page_links_to_the_protected_certificate(client, application, moderator):
    client.force_login(moderator)
    body = client.get(reverse("provider_applications")).content.decode()
    assert f'href="{application.certificate.url}"' in body
    assert "/media/certificates" not in body


def test_a_missing_file_is_404_even_to_its_applicant(client, application, member):
    (Path(settings.PRIVATE_MEDIA_ROOT) / application.certificate.name).unlink()
    assert get_as(client, member, application.certificate.url).status_code == 404


def test_a_folder_no_app_registered_is_no_ones(client, moderator):
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "exports" / "ledger.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(image_bytes())
    moderator.is_superuser = True
    moderator.save()
    assert get_as(client, moderator, "/files/exports/ledger.png").status_code == 404


def test_public_media_route_cannot_reach_the_private_root(client, application, member):
    # The test roots are siblings (tests/conftest.py), as the default ones are.
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert private.parent == Path(settings.MEDIA_ROOT).parent
    name = application.certificate.name
    client.force_login(member)
    for url in (f"/media/../{private.name}/{name}", f"/media/%2e%2e/{private.name}/{name}",
                f"/media/..%2f{private.name}/{name}", f"/media/{private}/{name}"):
        # Refused as a bad request (Django's safe_join) or not found; never served.
        assert client.get(url).status_code in (400, 404), url


def test_private_view_cannot_be_walked_out_of_its_root(client, application, member, tmp_path):
    (tmp_path / "secret.png").write_bytes(image_bytes())
    client.force_login(member)
    name = application.certificate.name
    for url in ("/files/certificates/../../secret.png", "/files/certificates/%2e%2e/%2e%2e/secret.png",
                f"/files/forum/../{name}", f"/files/certificates/./{name.split('/')[1]}"):
        assert client.get(url).status_code == 404, url


def test_a_nul_byte_in_the_name_is_404_not_a_database_error(client, application, member):
    # PostgreSQL refuses NUL in a query: the name is checked before it is looked up.
    client.force_login(member)
    for url in (f"{application.certificate.url}%00", "/files/certificates/a%00b.png"):
        assert client.get(url).status_code == 404, url


def test_private_root_inside_media_root_fails_the_checks(settings):
    assert private_media.private_root_is_not_served(None) == []
    settings.PRIVATE_MEDIA_ROOT = Path(settings.MEDIA_ROOT) / "private"
    assert [error.id for error in private_media.private_root_is_not_served(None)] == ["portal.E001"]


def _legacy_certificate(application, name: str, content: bytes | None) -> None:
    """The row as it was before private storage: a public file under its uploaded name."""
    if content is not None:
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    ProviderApplication.objects.filter(pk=application.pk).update(certificate=name)


def test_migration_moves_an_old_public_certificate_to_a_random_private_name(
        client, application, member, django_capture_on_commit_callbacks):
    old = "certificates/2025/05/Mei Chen licence.png"
    content = image_bytes(colour="teal")
    _legacy_certificate(application, old, content)
    assert get_as(client, None, f"/media/{old}").status_code == 200  # what the issue found
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.make_certificates_private(django_apps, None)
    application.refresh_from_db()
    new = application.certificate.name
    assert new.startswith("certificates/") and new.endswith(".png") and "licence" not in new
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / new).read_bytes() == content
    assert not (Path(settings.MEDIA_ROOT) / old).exists()
    assert get_as(client, None, f"/media/{old}").status_code == 404
    response = get_as(client, member, application.certificate.url)
    assert b"".join(response.streaming_content) == content


def test_migration_renames_a_row_whose_file_is_missing(client, application, member,
                                                        django_capture_on_commit_callbacks):
    _legacy_certificate(application, "certificates/2025/05/gone.jpg", None)
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.make_certificates_private(django_apps, None)
    application.refresh_from_db()
    assert application.certificate.name.startswith("certificates/")
    assert "gone" not in application.certificate.name
    assert get_as(client, member, application.certificate.url).status_code == 404


def test_migration_reversed_puts_the_files_back_under_media_root(application,
                                                                 django_capture_on_commit_callbacks):
    name = application.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        MIGRATION.make_certificates_public(django_apps, None)
    application.refresh_from_db()
    assert application.certificate.name == name
    assert (Path(settings.MEDIA_ROOT) / name).is_file()
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / name).exists()

