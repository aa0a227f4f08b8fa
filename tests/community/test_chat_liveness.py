"""No socket left silently behind: a room's listener heals after a real database fault and sends what
its sockets missed, gives up only by closing them with a code the server may send, and the heartbeat
carries the room's stored seq. Runs on the in-memory layer and, with REDIS_URL, on Redis."""

import asyncio
import re
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from community.chat import hub as chat_hub
from community.chat import services as chat_services
from community.chat.services import access as chat_access
from tests.factories import make_messages
from tests.sockets import join, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio,
              pytest.mark.usefixtures("no_leftover_tasks")]
db = sync_to_async


@sync_to_async
def break_listener_connection():
    """Break the connection of the thread chat's database work runs on, as a terminated backend does:
    Django still holds it, and its next query fails."""
    if connection.vendor == "postgresql":
        pid = connection.connection.info.backend_pid
        from django.db import connections

        # Another connection terminates this one, as an administrator or a failover would.
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
    else:
        connection.connection.close()


async def announce(room, seq: int) -> None:
    frame = f'{{"type": "message", "seq": {seq}}}'
    await get_channel_layer().group_send(
        chat_services.room_group(room.pk), {"type": "chat.message", "seq": seq, "frame": frame}
    )


async def seqs_until(comm, last: int) -> list[int]:
    seqs = []
    while not seqs or seqs[-1] < last:
        seqs.append((await receive(comm, "message", timeout=5))["seq"])
    return seqs


async def test_listener_heals_after_its_gap_read_fails_and_every_socket_gets_everything_once(
    member, other_member, lounge
):
    sockets = [(await join(user, lounge))[0] for user in (member, other_member, member)]
    await db(make_messages)(lounge, member, 3)  # stored; only the last one's broadcast arrives
    await break_listener_connection()
    await announce(lounge, 3)  # the gap read of 1-2 fails on the broken connection
    for comm in sockets:
        assert await seqs_until(comm, 3) == [1, 2, 3]
    # The healed listener carries on: a message sent now reaches everyone, once.
    await sockets[1].send_json_to({"type": "send", "body": "after the fault", "client_id": "h1"})
    for comm in sockets:
        assert await seqs_until(comm, 4) == [4]
        assert await comm.receive_nothing(0.3) or (await comm.receive_json_from())["type"] != "message"
    for comm in sockets:
        await comm.disconnect()


async def test_a_listener_that_cannot_heal_closes_its_sockets_with_a_code_daphne_accepts(
    member, other_member, lounge, monkeypatch
):
    monkeypatch.setattr(chat_hub, "HEAL_DELAYS", ())  # no attempt: the listener gives up at once
    sockets = [(await join(user, lounge))[0] for user in (member, other_member)]
    await db(make_messages)(lounge, member, 2)
    await break_listener_connection()
    await announce(lounge, 2)
    for comm in sockets:
        while (output := await comm.receive_output(5))["type"] != "websocket.close":
            pass
        assert output["code"] == chat_hub.SERVER_ERROR == 4500
    # Their pages reconnect to a fresh hub and catch up from their last seq.
    comm, history = await join(member, lounge, after=0)
    assert [m["seq"] for m in history["messages"]] == [1, 2]
    await comm.disconnect()
    for comm in sockets:
        await comm.disconnect()


async def test_heartbeat_carries_the_rooms_stored_seq_and_the_hub_catches_up_on_a_lost_broadcast(
    member, lounge
):
    comm, _history = await join(member, lounge)
    await db(make_messages)(lounge, member, 2)  # stored, their broadcasts lost
    await comm.send_json_to({"type": "ping"})
    assert (await receive(comm, "heartbeat"))["seq"] == 2
    # The hub noticed it was behind and sent what it had not.
    assert await seqs_until(comm, 2) == [1, 2]
    await comm.disconnect()


async def test_every_close_code_the_server_sends_is_one_daphne_accepts():
    """Daphne (autobahn) refuses from an application every code but 1000 and 3000-4999: such a close
    raises, and whatever was to follow it does not happen."""
    from community.chat import backlog as chat_backlog

    codes = {chat_hub.SERVER_ERROR, chat_backlog.TOO_SLOW}
    for app in ("community", "events", "portal", "content"):
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            codes.update(int(code) for code in re.findall(r"close\(\s*code=(\d+)", path.read_text()))
    assert codes and all(code == 1000 or 3000 <= code <= 4999 for code in codes), codes


async def test_a_socket_whose_writes_fail_is_closed_and_the_others_still_get_everything(
    member, other_member, lounge
):
    """A peer gone mid-write: its connection refuses the frame. The fault is injected at the ASGI
    boundary (the server's send), below all of our code."""
    sockets = [(await join(user, lounge))[0] for user in (member, other_member, member)]
    hub = chat_hub._hubs[asyncio.get_running_loop()][lounge.pk]
    broken = next(s for s in hub.sockets if s.user.pk == other_member.pk)
    real_send = broken.base_send

    async def peer_gone(message):
        if message["type"] == "websocket.send":
            raise ConnectionResetError("peer gone mid-write")
        await real_send(message)

    broken.base_send = peer_gone
    await sockets[0].send_json_to({"type": "send", "body": "to all", "client_id": "w1"})
    for comm in (sockets[0], sockets[2]):
        assert await seqs_until(comm, 1) == [1]
    while (output := await sockets[1].receive_output(5))["type"] != "websocket.close":
        pass
    assert output["code"] == chat_hub.SERVER_ERROR
    await sockets[2].send_json_to({"type": "send", "body": "still flowing", "client_id": "w2"})
    assert await seqs_until(sockets[0], 2) == [2]
    for comm in sockets:
        await comm.disconnect()


def unreachable_layer():
    """A real Redis channel layer pointed at a port where nothing listens: every call is refused,
    as while Redis restarts."""
    from channels_redis.core import RedisChannelLayer

    return RedisChannelLayer(hosts=["redis://127.0.0.1:1/0"])


async def test_a_message_whose_announcement_fails_is_acknowledged_and_reaches_the_room_by_heartbeat(
    member, other_member, lounge, monkeypatch
):
    sender, _history = await join(member, lounge)
    reader, _history = await join(other_member, lounge)
    monkeypatch.setattr(chat_access, "get_channel_layer", unreachable_layer)
    await sender.send_json_to({"type": "send", "body": "while Redis is away", "client_id": "r1"})
    ack = await receive(sender, "ack", timeout=5)
    assert ack["seq"] == 1  # stored and acknowledged: the sender's page stops resending it
    # The broadcast never came; the reader's heartbeat shows the room ahead and the hub sends it.
    await reader.send_json_to({"type": "ping"})
    assert await seqs_until(reader, 1) == [1]
    for comm in (sender, reader):
        await comm.disconnect()


async def test_a_send_on_a_terminated_database_connection_asks_for_a_resend_which_stores_it_once(
    member, other_member, lounge
):
    sender, _history = await join(member, lounge)
    reader, _history = await join(other_member, lounge)
    await break_listener_connection()
    await sender.send_json_to({"type": "send", "body": "mid-fault", "client_id": "t1"})
    refused = await receive(sender, "error", timeout=5)
    assert (refused["code"], refused["client_id"]) == ("unavailable", "t1")
    assert refused["retry_after"] > 0
    # The socket stays; the connection was replaced; the page sends the same client id again.
    for _ in range(2):  # a retry whose answer was lost, then another: still one message
        await sender.send_json_to({"type": "send", "body": "mid-fault", "client_id": "t1"})
        assert (await receive(sender, "ack", timeout=5))["seq"] == 1
    assert await seqs_until(reader, 1) == [1]
    assert await db(lambda: lounge.messages.count())() == 1
    for comm in (sender, reader):
        await comm.disconnect()


async def test_a_heartbeat_and_a_leave_while_the_layer_is_away_keep_the_socket_and_end_cleanly(
    member, lounge
):
    comm, _history = await join(member, lounge)
    hub = chat_hub._hubs[asyncio.get_running_loop()][lounge.pk]
    (consumer,) = hub.sockets
    consumer.channel_layer = unreachable_layer()  # its groups cannot be renewed, nor left
    await comm.send_json_to({"type": "ping"})
    assert (await receive(comm, "heartbeat", timeout=5))["seq"] == 0
    await comm.disconnect()  # raises if the consumer ended in a traceback


async def test_a_sockets_own_channel_waits_out_a_refused_layer_and_rejoins_its_groups():
    """Channels awaits the layer's receive for each socket's channel beside the browser's frames:
    one refused Redis call ended every socket. Ours waits for the layer and re-adds the groups."""
    from portal.websocket import JsonFrameConsumer

    consumer = JsonFrameConsumer()
    consumer.channel_layer = layer = get_channel_layer()
    consumer.channel_name = await layer.new_channel()
    consumer.groups = ["user.987654321"]
    calls = []

    async def receive():
        calls.append(len(calls))
        if len(calls) == 1:
            await asyncio.open_connection("127.0.0.1", 1)  # refused, as while Redis restarts
        return {"type": "session.end", "code": 4401}

    consumer.channel_receive = receive  # as channels' __call__ sets it
    assert await consumer.channel_receive() == {"type": "session.end", "code": 4401}
    assert calls == [0, 1]
    await layer.group_send("user.987654321", {"type": "probe"})
    assert (await layer.receive(consumer.channel_name))["type"] == "probe"
    await layer.group_discard("user.987654321", consumer.channel_name)
