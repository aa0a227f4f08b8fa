"""A direct message and an @mention in chat notify: always on the site, by e-mail only to someone with
no page open who asked for it, one e-mail per conversation per quiet period, never across a private
room's walls."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.chat import services as chat_services
from community.chat.models import Room
from portal import services
from portal.models import Notification
from tests.sockets import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def say(author, room, body):
    message, created = chat_services.post_message(
        author=author, room=room, body=body, client_id=uuid.uuid4().hex)
    assert created
    return message


def notes(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("id"))


@pytest.fixture
def dm(member, other_member):
    return chat_services.open_direct_room(user=member, other=other_member)


def test_a_direct_message_notifies_the_peer_on_the_site(member, other_member, dm):
    say(member, dm, "Are you coming on Saturday?")
    [note] = notes(other_member, "chat_direct")
    assert note.message == "Mei sent you a direct message"
    assert note.url == f"/chat/{dm.slug}/"
    assert not Notification.objects.filter(user=member).exists()


def test_a_burst_is_one_notification_and_one_email_while_unread(task_worker, member, other_member, dm):
    for n in range(4):
        say(member, dm, f"Message {n}")
    task_worker()
    assert len(notes(other_member, "chat_direct")) == 1
    assert [m.to for m in mail.outbox] == [[other_member.email]]
    assert "Mei sent you a direct message" in mail.outbox[0].subject
    assert f"/chat/{dm.slug}/" in mail.outbox[0].body
    # Read, then a new message: a new unread run shows on the site, but the conversation had its
    # e-mail within the quiet period.
    chat_services.mark_room_read(user=other_member, room=Room.objects.get(pk=dm.pk), seq=4)
    say(member, dm, "One more thing")
    task_worker()
    assert len(notes(other_member, "chat_direct")) == 2
    assert len(mail.outbox) == 1


def test_no_email_unless_the_peer_asked_for_it(member, other_member, dm):
    services.set_notification_preference(user=other_member, kind="chat_direct", channel="in_app")
    say(member, dm, "Hello")
    assert len(notes(other_member, "chat_direct")) == 1
    assert mail.outbox == []


def test_turning_a_conversation_off_still_shows_it_on_the_site(member, other_member, dm):
    # "off" is not offered for a conversation; a row saved anyway does not silence it.
    services.set_notification_preference(user=other_member, kind="chat_direct", channel="off")
    say(member, dm, "Hello")
    assert len(notes(other_member, "chat_direct")) == 1


def test_a_sender_the_peer_no_longer_takes_messages_from_notifies_nothing(member, other_member, dm):
    chat_services.set_allow_direct(user=other_member, allow=False)
    say(member, dm, "Still there?")
    assert notes(other_member, "chat_direct") == []
    assert mail.outbox == []
    # Their own messages still reach me: the choice is theirs, not mine.
    say(other_member, dm, "Please stop")
    assert len(notes(member, "chat_direct")) == 1


def test_a_mention_in_the_lounge_notifies_the_mentioned_member(member, other_member, lounge):
    say(member, lounge, "@Otto have you tried the new gel? @Mei too")
    [note] = notes(other_member, "chat_mention")
    assert note.message == "Mei mentioned you in Members' lounge"
    assert note.url == f"/chat/{lounge.slug}/"
    assert not Notification.objects.filter(user=member).exists()  # naming yourself tells no one
    assert mail.outbox == []  # mentions e-mail only those who ask for it


def test_the_mention_is_written_in_the_recipients_language(member, other_member, lounge):
    other_member.language = "zh-hant"
    other_member.save()
    say(member, lounge, "Hi @otto")
    [note] = notes(other_member, "chat_mention")
    assert "會員交誼廳" in note.message


def test_a_mention_of_an_outsider_in_a_private_room_does_nothing(member, other_member, provider, store):
    dm = chat_services.open_direct_room(user=member, other=provider)
    service = chat_services.open_service_room(member=member, store=store)
    say(member, dm, "Should I ask @Otto?")
    say(member, service, "My friend @Otto wants to book too")
    assert not Notification.objects.filter(user=other_member).exists()
    assert [n.kind for n in Notification.objects.filter(user=provider)] == ["chat_direct"]
    assert [m.to for m in mail.outbox] == [[provider.email]]  # the direct message, not the mention


def test_a_message_adds_a_fixed_number_of_queries(member, other_member, provider, lounge):
    """Measured: a lounge message without a mention adds none; a mention adds one query, plus each
    notification's own writes; a direct message adds one read, one count of the peer's unread
    messages (pushed live), plus one notification per unread run."""
    say(member, lounge, "warm up")
    with CaptureQueriesContext(connection) as plain:
        say(member, lounge, "plain")
    with CaptureQueriesContext(connection) as mention_nobody:
        say(member, lounge, "@nobody here")
    assert len(mention_nobody) == len(plain) + 1
    dm = chat_services.open_direct_room(user=member, other=other_member)
    say(member, dm, "first of a run")
    with CaptureQueriesContext(connection) as unread_run:
        say(member, dm, "more of the run")
    assert len(unread_run) == len(plain) + 2


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_someone_online_is_told_on_the_site_not_by_email(member, other_member, dm):
    socket = await open_socket("/ws/notifications/", other_member)
    assert (await socket.connect())[0]
    await sync_to_async(say)(member, dm, "You there?")
    frame = await socket.receive_json_from(2)
    assert frame["kind"] == "chat_direct" and frame["unread"] == 1
    assert mail.outbox == []
    await socket.disconnect()
    # Gone: the next run of unread messages comes by e-mail.
    await sync_to_async(chat_services.mark_room_read)(
        user=other_member, room=await sync_to_async(Room.objects.get)(pk=dm.pk), seq=1)
    await sync_to_async(say)(member, dm, "Call me")
    assert [m.to for m in mail.outbox] == [[other_member.email]]


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_a_peer_reading_the_room_is_not_notified(member, other_member, dm):
    from tests.sockets import join

    reader, _history = await join(other_member, dm)
    await sync_to_async(say)(member, dm, "Hi")
    assert await sync_to_async(notes)(other_member, "chat_direct") == []
    assert mail.outbox == []
    await reader.disconnect()
    await sync_to_async(chat_services.mark_room_read)(
        user=other_member, room=await sync_to_async(Room.objects.get)(pk=dm.pk), seq=1)
    await sync_to_async(say)(member, dm, "Bye")
    assert len(await sync_to_async(notes)(other_member, "chat_direct")) == 1


def test_settings_page_offers_email_for_conversations_and_saves_it(client, member):
    client.force_login(member)
    page = client.get(reverse("portal:notification_settings")).content.decode()
    assert 'name="chat_direct" value="off"' not in page
    assert 'name="chat_direct" value="email"' in page and 'name="chat_mention" value="email"' in page
    form = client.get(reverse("portal:notification_settings")).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data.update(chat_direct="in_app", chat_mention="email")
    client.post(reverse("portal:notification_settings"), data)
    prefs = dict(member.notification_prefs.values_list("kind", "channel"))
    assert prefs["chat_direct"] == "in_app" and prefs["chat_mention"] == "email"
    # Off is refused for a conversation: the form says so and nothing is saved.
    response = client.post(reverse("portal:notification_settings"), {**data, "chat_direct": "off"})
    assert response.status_code == 200 and response.context["form"].errors["chat_direct"]
    assert member.notification_prefs.get(kind="chat_direct").channel == "in_app"


def test_settings_page_is_translated(client, member):
    member.language = "zh-hant"
    member.save()
    client.force_login(member)
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})
    page = client.get(reverse("portal:notification_settings")).content.decode()
    assert 'name="chat_direct" value="in_app"' in page
    assert "站內通知" in page  # "On the site", offered for each conversation kind too


@pytest.mark.asyncio
@pytest.mark.usefixtures("no_leftover_tasks")
async def test_a_chat_socket_in_another_room_counts_as_online(member, other_member, dm, lounge):
    from tests.sockets import join

    elsewhere, _history = await join(other_member, lounge)
    await sync_to_async(say)(member, dm, "Psst")
    assert len(await sync_to_async(notes)(other_member, "chat_direct")) == 1
    assert mail.outbox == []
    await elsewhere.disconnect()
