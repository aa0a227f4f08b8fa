"""Unread chat counts follow live: a message in someone's conversation, and their reading it, reach
every tab of theirs over the notifications socket, at a constant query cost."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.chat import services as chat_services
from community.chat.models import Room
from tests.factories import make_messages
from tests.sockets import join, open_socket, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio,
              pytest.mark.usefixtures("no_leftover_tasks")]
db = sync_to_async


async def _bell(user):
    comm = await open_socket("/ws/notifications/", user)
    assert (await comm.connect())[0]
    return comm


async def test_a_direct_message_and_reading_it_push_the_readers_counts(member, other_member):
    dm = await db(chat_services.open_direct_room)(user=member, other=other_member)
    tabs = [await _bell(other_member) for _ in range(2)]
    writer, _ = await join(member, dm)
    await writer.send_json_to({"type": "send", "body": "Saturday?", "client_id": "u-1"})
    for tab in tabs:
        assert await receive(tab, "unread") == {"type": "unread", "room": dm.slug, "unread": 1, "total": 1}
    reader, _ = await join(other_member, dm)
    await reader.send_json_to({"type": "read", "seq": 1})
    for tab in tabs:
        assert await receive(tab, "unread") == {"type": "unread", "room": dm.slug, "unread": 0, "total": 0}
    for comm in (*tabs, writer, reader):
        await comm.disconnect()


async def test_the_notifications_socket_opens_with_the_unread_total(member, other_member, lounge):
    dm = await db(chat_services.open_direct_room)(user=member, other=other_member)
    await db(make_messages)(dm, member, 3)
    await db(make_messages)(lounge, member, 5)  # lounges do not count towards the header
    tab = await _bell(other_member)
    assert await receive(tab, "unread") == {"type": "unread", "total": 3}
    await tab.disconnect()


async def test_a_lounge_message_pushes_nothing(member, other_member, lounge):
    tab = await _bell(other_member)
    await db(chat_services.post_message)(author=member, room=lounge, body="hi", client_id="c-1")
    assert await tab.receive_nothing(0.3)
    await tab.disconnect()


async def test_a_direct_message_costs_the_same_queries_however_many_rooms(member, other_member, provider):
    dm = await db(chat_services.open_direct_room)(user=member, other=other_member)
    other_dm = await db(chat_services.open_direct_room)(user=provider, other=other_member)

    def post(n):
        with CaptureQueriesContext(connection) as queries:
            chat_services.post_message(
                author=member, room=Room.objects.get(pk=dm.pk), body="hi", client_id=f"d-{n}")
        return len(queries)

    def read_all(rooms):
        for room in Room.objects.filter(pk__in=[r.pk for r in rooms]):
            chat_services.mark_room_read(user=other_member, room=room, seq=room.last_seq)

    await db(post)(0)  # the author's first message also makes their read marker
    await db(read_all)([dm])
    first = await db(post)(1)
    await db(make_messages)(other_dm, provider, 3)
    await db(read_all)([dm, other_dm])
    assert await db(post)(2) == first
