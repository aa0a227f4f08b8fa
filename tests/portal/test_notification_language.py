"""A notification reads in the language of whoever reads it, when they read it; e-mails go in the
member's saved language, which the header switch (and a login after using it) saves."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from portal import notifications, services
from portal.models import Notification
from tend.asgi import application
from tests.factories import PASSWORD

SEAT = gettext_noop("A seat opened up: you are now confirmed for %(title)s.")
SEAT_EN = "A seat opened up: you are now confirmed for Spa day."
SEAT_ZH = "有名額釋出：你已確認參加 Spa day。"


@pytest.fixture(autouse=True)
def _kinds():
    notifications.register_kind("test_in_app", "Test in-app", notifications.IN_APP)
    notifications.register_kind("test_email", "Test e-mail", notifications.EMAIL)


def _seat(user, kind="test_in_app"):
    return services.notify(user, kind, notifications.Text(SEAT, title="Spa day"), "/me/")


def _reading_in(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_a_chinese_reader_sees_chinese_for_a_notification_written_in_english(client, member):
    assert member.language == ""
    with translation.override("en"):
        note = _seat(member)
    assert note.message == SEAT_EN
    client.force_login(member)
    _reading_in(client, "zh-hant")
    assert SEAT_ZH in client.get(reverse("portal:notifications")).content.decode()
    assert SEAT_ZH in client.get(reverse("portal:dashboard")).content.decode()


@pytest.mark.django_db
def test_an_english_reader_sees_english_for_a_notification_written_in_chinese(client, member):
    member.language = "zh-hant"
    member.save()
    with translation.override("zh-hant"):
        note = _seat(member)
    assert note.message == SEAT_ZH
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("portal:notifications")).content.decode()
    assert SEAT_EN in body and SEAT_ZH not in body


@pytest.mark.django_db
def test_interface_words_among_the_values_are_translated_for_the_reader(member):
    note = services.notify(member, "test_in_app", notifications.Text(
        gettext_noop("%(name)s mentioned you in %(room)s"), name="Otto",
        room=notifications.translated(translation.gettext_lazy("Members' lounge"))))
    with translation.override("zh-hant"):
        assert note.text == "Otto 在會員交誼廳提到你"
    with translation.override("en"):
        assert note.text == "Otto mentioned you in Members' lounge"


@pytest.mark.django_db
def test_a_plain_text_notification_and_a_template_that_no_longer_fits_show_the_stored_text(member):
    plain = services.notify(member, "test_in_app", "Written as text")
    broken = Notification.objects.create(user=member, kind="test_in_app", message="stored words",
                                         template="%(missing)s happened", params={})
    with translation.override("zh-hant"):
        assert plain.text == "Written as text"
        assert broken.text == "stored words"


@pytest.mark.django_db(transaction=True)
def test_the_email_goes_in_the_members_saved_language_whatever_is_active(member):
    member.language = "zh-hant"
    member.save()
    with translation.override("en"):
        _seat(member, "test_email")
    assert mail.outbox[0].subject == f"[Tend] {SEAT_ZH}"
    assert SEAT_ZH in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_without_a_saved_language_the_email_is_in_the_sites_language(member):
    with translation.override("zh-hant"):
        _seat(member, "test_email")
    assert mail.outbox[0].subject == f"[Tend] {SEAT_EN}"


@pytest.mark.django_db
def test_the_header_switch_saves_a_signed_in_members_language(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    member.refresh_from_db()
    assert member.language == "zh-hant"


@pytest.mark.django_db
def test_a_language_chosen_before_signing_in_is_saved_at_login(client, member):
    member.save()
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    member.refresh_from_db()
    assert member.language == "zh-hant"


@pytest.mark.django_db
def test_a_login_does_not_overwrite_a_saved_language(client, member):
    member.language = "en"
    member.save()
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    member.refresh_from_db()
    assert member.language == "en"


def _session_cookie(user, language: str | None = None) -> bytes:
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    if language:
        cookie += f"; {settings.LANGUAGE_COOKIE_NAME}={language}"
    return cookie.encode()


async def _tab(user, language: str | None = None, accept: bytes = b"en") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"),
               (b"cookie", await sync_to_async(_session_cookie)(user, language)),
               (b"accept-language", accept)]
    comm = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    assert (await comm.connect())[0]
    return comm


async def _next_notification(comm) -> dict:
    while True:
        frame = await comm.receive_json_from(2)
        if frame["type"] == "notification":
            return frame


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_each_open_tab_gets_the_live_text_in_its_own_language(member):
    chinese = await _tab(member, "zh-hant")
    english = await _tab(member, accept=b"en-US,en;q=0.9")
    browser_chinese = await _tab(member, accept=b"zh-TW,zh;q=0.9")
    await sync_to_async(_seat)(member)
    assert (await _next_notification(chinese))["message"] == SEAT_ZH
    assert (await _next_notification(english))["message"] == SEAT_EN
    assert (await _next_notification(browser_chinese))["message"] == SEAT_ZH
    for comm in (chinese, english, browser_chinese):
        await comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_saved_language_decides_the_live_text(member):
    member.language = "zh-hant"
    await sync_to_async(member.save)()
    tab = await _tab(member, "en")
    await sync_to_async(_seat)(member)
    assert (await _next_notification(tab))["message"] == SEAT_ZH
    await tab.disconnect()


@pytest.mark.django_db(transaction=True)
def test_the_migration_reads_the_values_back_out_of_stored_texts(member):
    executor = MigrationExecutor(connection)
    before = [("portal", "0006_private_certificates")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldNotification = old_apps.get_model("portal", "Notification")
    rows = {
        "zh": OldNotification.objects.create(user_id=member.pk, kind="event_promoted", message=SEAT_ZH),
        "en": OldNotification.objects.create(user_id=member.pk, kind="points",
                                             message="Your points were adjusted by -5: late"),
        "other": OldNotification.objects.create(user_id=member.pk, kind="points", message="Hand-written"),
    }
    call_command("migrate", "portal", verbosity=0)
    zh, en, other = (Notification.objects.get(pk=rows[key].pk) for key in ("zh", "en", "other"))
    assert (zh.template, zh.params) == (SEAT, {"title": "Spa day"})
    assert (en.template, en.params) == ("Your points were adjusted by %(points)+d: %(note)s",
                                        {"points": -5, "note": "late"})
    assert other.template == "" and other.message == "Hand-written"
    with translation.override("en"):
        assert zh.text == SEAT_EN and other.text == "Hand-written"
    with translation.override("zh-hant"):
        assert en.text != en.message  # the points line, now in Chinese
