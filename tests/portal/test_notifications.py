import pytest
from django.core import mail
from django.urls import reverse

from portal import notifications, services
from portal.models import Notification


@pytest.fixture(autouse=True)
def _kinds():
    notifications.register_kind("test_in_app", "Test in-app", notifications.IN_APP)
    notifications.register_kind("test_email", "Test e-mail", notifications.EMAIL)


@pytest.mark.django_db(transaction=True)
def test_notify_in_app_stores_without_email(member):
    note = services.notify(member, "test_in_app", "Hello", "/me/")
    assert note.pk and note.read_at is None
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_notify_email_preference_sends_mail_after_commit(member):
    services.notify(member, "test_email", "Your seat is confirmed", "/events/x/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "Your seat is confirmed" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_a_multi_line_message_still_sends_its_mail(member):
    # A moderator's rejection reason comes from a textarea; a newline in a Subject header is refused.
    services.notify(member, "test_email", "Not approved: blurry photo.\r\nPlease send it again.")
    assert [m.subject for m in mail.outbox] == [
        "[Tend] Not approved: blurry photo. Please send it again."]
    assert "blurry photo.\r\nPlease send it again." in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_preference_off_stores_nothing(member):
    services.set_notification_preference(user=member, kind="test_email", channel="off")
    assert services.notify(member, "test_email", "Nope") is None
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_preference_can_turn_email_down_to_in_app(member):
    services.set_notification_preference(user=member, kind="test_email", channel="in_app")
    services.notify(member, "test_email", "Quiet")
    assert Notification.objects.count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_unread_count_and_mark_read(client, member, other_member):
    first = services.notify(member, "test_in_app", "One")
    services.notify(member, "test_in_app", "Two")
    theirs = services.notify(other_member, "test_in_app", "Theirs")
    assert services.unread_count(member) == 2
    client.force_login(member)
    page = client.get("/")
    assert b'data-bell-count >2<' in page.content
    client.post(reverse("portal:notification_read", args=[first.pk]))
    assert services.unread_count(member) == 1
    # Someone else's notification cannot be marked through my session.
    client.post(reverse("portal:notification_read", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post(reverse("portal:notifications_read_all"))
    assert services.unread_count(member) == 0
    assert services.unread_count(other_member) == 1


@pytest.mark.django_db
def test_notification_page_lists_only_mine(client, member, other_member):
    services.notify(member, "test_in_app", "Mine to read")
    services.notify(other_member, "test_in_app", "Not yours")
    client.force_login(member)
    body = client.get(reverse("portal:notifications")).content.decode()
    assert "Mine to read" in body and "Not yours" not in body


@pytest.mark.django_db
def test_notification_settings_form_saves_choice(client, member):
    client.force_login(member)
    response = client.get(reverse("portal:notification_settings"))
    assert response.status_code == 200
    data = {key: kind.default for key, kind in notifications.KINDS.items()}
    data["test_email"] = "off"
    client.post(reverse("portal:notification_settings"), data)
    assert member.notification_prefs.get(kind="test_email").channel == "off"


@pytest.mark.django_db
def test_notifications_require_login(client):
    response = client.get(reverse("portal:notifications"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
