"""The live notifications socket: every open tab of the user gets each new notification."""

import pytest
from asgiref.sync import sync_to_async

from portal import notifications, services
from tests.sockets import open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio,
              pytest.mark.usefixtures("no_leftover_tasks")]


async def test_notify_reaches_every_open_tab_with_unread_count(member, other_member):
    notifications.register_kind("test_live", "Test live", notifications.IN_APP)
    tabs = [await open_socket("/ws/notifications/", member) for _ in range(2)]
    stranger = await open_socket("/ws/notifications/", other_member)
    for comm in (*tabs, stranger):
        assert (await comm.connect())[0]
    await sync_to_async(services.notify)(member, "test_live", "Your seat is confirmed", "/events/x/")
    for comm in tabs:
        frame = await comm.receive_json_from(2)
        assert frame["type"] == "notification" and frame["unread"] == 1
        assert frame["message"] == "Your seat is confirmed"
    assert await stranger.receive_nothing(0.3)
    for comm in (*tabs, stranger):
        await comm.disconnect()


async def test_anonymous_notifications_socket_is_refused():
    comm = await open_socket("/ws/notifications/")
    await comm.connect()
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()
