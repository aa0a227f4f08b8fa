import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from portal import roles, services
from portal.errors import ApplicationError
from portal.models import Notification, ProviderApplication, User


def png_upload(name="cert.png", size=(40, 30)):
    buf = io.BytesIO()
    Image.new("RGB", size, "pink").save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def application(member, store):
    return services.apply_as_provider(
        user=member, specialties="Gel manicure", years_experience=4, home_store=store,
        certificate=png_upload(),
    )


@pytest.mark.django_db
def test_member_applies_through_the_form_and_sees_pending(client, member, store):
    client.force_login(member)
    response = client.post(
        reverse("portal:provider_application"),
        {"specialties": "Nail art", "years_experience": 3, "home_store": store.pk,
         "certificate": png_upload()},
    )
    assert response.status_code == 302
    assert ProviderApplication.objects.get(user=member).status == "pending"
    assert "Pending review" in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_bad_certificate_keeps_the_text_and_shows_an_error(client, member):
    client.force_login(member)
    fake = SimpleUploadedFile("cert.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(
        reverse("portal:provider_application"),
        {"specialties": "Scalp care", "years_experience": 2, "certificate": fake},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Scalp care" in body and "valid image" in body
    assert not ProviderApplication.objects.exists()


@pytest.mark.django_db
def test_second_pending_application_is_refused(member, application):
    with pytest.raises(ApplicationError) as exc:
        services.apply_as_provider(user=member, specialties="x", years_experience=1,
                                   home_store=None, certificate=png_upload())
    assert exc.value.code == "already_pending"


@pytest.mark.django_db(transaction=True)
def test_approval_grants_providers_group_and_notifies(member, moderator, application):
    services.approve_provider_application(application_id=application.pk, moderator=moderator)
    member = User.objects.get(pk=member.pk)
    assert roles.PROVIDERS in member.group_names
    assert Notification.objects.filter(user=member, kind="provider_application").exists()


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_tells_the_member(member, moderator, application):
    with pytest.raises(ApplicationError) as exc:
        services.reject_provider_application(application_id=application.pk,
                                             moderator=moderator, reason="  ")
    assert exc.value.code == "reason_required"
    services.reject_provider_application(application_id=application.pk, moderator=moderator,
                                         reason="Certificate unreadable")
    member = User.objects.get(pk=member.pk)
    assert roles.PROVIDERS not in member.group_names
    note = Notification.objects.get(user=member)
    assert "Certificate unreadable" in note.message


@pytest.mark.django_db
def test_deciding_twice_is_refused(moderator, application):
    services.approve_provider_application(application_id=application.pk, moderator=moderator)
    with pytest.raises(ApplicationError) as exc:
        services.reject_provider_application(application_id=application.pk,
                                             moderator=moderator, reason="late")
    assert exc.value.code == "already_decided"


@pytest.mark.django_db
def test_only_moderators_reach_the_admin_queue(client, member, editor, moderator, application):
    url = reverse("provider_applications")
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert member.email in response.content.decode()


@pytest.mark.django_db
def test_moderator_rejects_from_the_admin(client, member, moderator, application):
    client.force_login(moderator)
    client.post(reverse("provider_application_decide", args=[application.pk]),
                {"decision": "reject", "reason": "Please upload your licence"})
    application.refresh_from_db()
    assert application.status == "rejected"
    client.force_login(member)
    assert "Please upload your licence" in client.get("/me/").content.decode()


@pytest.mark.django_db
def test_member_cannot_decide_from_the_admin(client, member, application):
    client.force_login(member)
    response = client.post(reverse("provider_application_decide", args=[application.pk]),
                           {"decision": "approve"})
    assert response.status_code in (302, 403)
    application.refresh_from_db()
    assert application.status == "pending"
