"""/me/ keeps the member's latest notifications and provider application (portal.selectors.
dashboard_state) and never shows them stale: a write to either shows at once."""

import pytest
from django.urls import reverse

from portal import notifications, services
from portal.models import ProviderApplication
from tests.portal.test_provider_applications import png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kind():
    notifications.register_kind("test_in_app", "Test", notifications.IN_APP)


def test_a_new_and_a_read_notification_show_at_once(client, member, site_tree):
    client.force_login(member)
    assert "First note" not in client.get("/me/").content.decode()  # kept from here on
    note = services.notify(member, "test_in_app", "First note")
    page = client.get("/me/").content.decode()
    assert "First note" in page and 'class="note unread"' in page
    client.post(reverse("portal:notifications_read_all"))  # an update()
    page = client.get("/me/").content.decode()
    assert "First note" in page and 'class="note unread"' not in page
    note.delete()
    assert "First note" not in client.get("/me/").content.decode()


def test_an_application_and_its_decision_show_at_once(client, member, moderator, store):
    client.force_login(member)
    assert "Pending review" not in client.get("/me/").content.decode()
    application = services.apply_as_provider(
        user=member, specialties="Nails", years_experience=2, home_store=store,
        certificate=png_upload())
    assert "Pending review" in client.get("/me/").content.decode()
    services.reject_provider_application(application_id=application.pk, moderator=moderator,
                                         reason="A clearer certificate, please")
    assert "A clearer certificate, please" in client.get("/me/").content.decode()
    ProviderApplication.objects.filter(pk=application.pk).update(reason="Changed by update")
    assert "Changed by update" in client.get("/me/").content.decode()
