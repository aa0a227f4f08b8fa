"""The chat socket: joining, permissions, history, catch-up, de-duplication, limits, typing, presence."""

import asyncio
import json
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from community.chat import services as chat_services
from community.chat.models import Message, MessageReport, ReadMarker, Room
from tests.factories import make_messages
from tests.sockets import assert_no, join, open_socket, receive


def late(seq: int) -> dict:
    return {"type": "chat.message", "seq": seq, "frame": f'{{"type": "message", "seq": {seq}}}'}


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio,
              pytest.mark.usefixtures("no_leftover_tasks")]
db = sync_to_async


async def test_join_sends_last_50_messages(member, lounge):
    await db(make_messages)(lounge, member, 60)
    comm, history = await join(member, lounge)
    assert history["type"] == "history" and history["reset"] is True
    assert [m["seq"] for m in history["messages"]] == list(range(11, 61))
    assert history["more"] is True
    await comm.disconnect()


async def test_non_member_is_refused_with_4403(member, providers_lounge):
    comm = await open_socket(f"/ws/chat/{providers_lounge.slug}/", member)
    connected, _ = await comm.connect()
    assert connected
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()


async def test_anonymous_is_refused_with_4403(lounge):
    comm = await open_socket(f"/ws/chat/{lounge.slug}/")
    await comm.connect()
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()


async def test_provider_joins_providers_lounge(provider, providers_lounge):
    comm, history = await join(provider, providers_lounge)
    assert history["messages"] == []
    await comm.disconnect()


async def test_foreign_origin_is_refused(member, lounge):
    comm = await open_socket(f"/ws/chat/{lounge.slug}/", member, origin=b"https://evil.example")
    connected, _ = await comm.connect()
    assert not connected
    await comm.disconnect()


async def test_message_is_stored_then_reaches_everyone_escaped_and_linked(member, other_member, lounge):
    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    await alice.send_json_to({"type": "send", "body": "<b>hi</b> https://tend.com.tw/x", "client_id": "c1"})
    # The sender gets the ack and the broadcast in either order (the page keys both by id).
    own = {}
    while len(own) < 2:
        frame = await alice.receive_json_from(2)
        if frame["type"] in ("ack", "message"):
            own[frame["type"]] = frame
    frame = await receive(bob, "message")
    stored = await db(Message.objects.get)(pk=own["ack"]["id"])
    assert frame["id"] == stored.pk and frame["seq"] == stored.seq == 1
    assert "&lt;b&gt;hi&lt;/b&gt;" in frame["html"] and 'href="https://tend.com.tw/x"' in frame["html"]
    assert own["message"]["id"] == stored.pk
    await alice.disconnect()
    await bob.disconnect()


async def test_retry_with_same_client_id_stores_once(member, other_member, lounge):
    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    for _attempt in range(2):
        await alice.send_json_to({"type": "send", "body": "once", "client_id": "same"})
        assert (await receive(alice, "ack"))["seq"] == 1
    assert await db(Message.objects.filter(author=member).count)() == 1
    assert (await receive(bob, "message"))["seq"] == 1
    await alice.send_json_to({"type": "send", "body": "next", "client_id": "other"})
    assert (await receive(bob, "message"))["seq"] == 2  # no second copy of seq 1 in between
    await alice.disconnect()
    await bob.disconnect()


async def test_catch_up_sends_only_messages_after_last_seq(member, lounge):
    await db(make_messages)(lounge, member, 5)
    comm, history = await join(member, lounge, after=3)
    assert history["reset"] is False
    assert [m["seq"] for m in history["messages"]] == [4, 5]
    await comm.disconnect()


async def test_catch_up_past_500_missed_asks_for_reload(member, lounge):
    await db(make_messages)(lounge, member, 505)
    comm = await open_socket(f"/ws/chat/{lounge.slug}/?after=4", member)
    await comm.connect()
    assert (await comm.receive_json_from())["type"] == "reload"
    history = await comm.receive_json_from()
    assert history["reset"] is True and [m["seq"] for m in history["messages"]] == list(range(456, 506))
    await comm.disconnect()


async def test_broadcast_already_sent_by_catch_up_is_dropped_and_gaps_filled_in_order(member, lounge):
    await db(make_messages)(lounge, member, 3)
    comm, history = await join(member, lounge, after=1)
    assert [m["seq"] for m in history["messages"]] == [2, 3]
    layer = get_channel_layer()
    group = chat_services.room_group(lounge.pk)
    # A late broadcast of seq 3 (already caught up) must not reach the client a second time.
    await layer.group_send(group, late(3))
    # Seq 5 announced before seq 4: the consumer sends 4 from the database first.
    await db(make_messages)(lounge, member, 2)
    await layer.group_send(group, late(5))
    assert (await receive(comm, "message"))["seq"] == 4
    assert (await receive(comm, "message"))["seq"] == 5
    await layer.group_send(group, late(4))
    await assert_no(comm, "message")
    await comm.disconnect()


async def test_too_long_message_is_an_error_and_not_stored(member, lounge):
    comm, _ = await join(member, lounge)
    await comm.send_json_to({"type": "send", "body": "x" * 2001, "client_id": "long"})
    error = await receive(comm, "error")
    assert error["code"] == "too_long" and error["client_id"] == "long"
    await comm.send_json_to({"type": "send", "body": "x" * 2000, "client_id": "fits"})
    assert (await receive(comm, "ack"))["seq"] == 1
    assert await db(Message.objects.count)() == 1
    await comm.disconnect()


async def test_a_burst_passes_then_the_refusal_says_when_to_resend(member, lounge):
    comm, _ = await join(member, lounge)
    for i in range(chat_services.RATE_BURST):
        await comm.send_json_to({"type": "send", "body": f"m{i}", "client_id": f"r{i}"})
        await receive(comm, "ack")
    await comm.send_json_to({"type": "send", "body": "too fast", "client_id": "late"})
    refused = await receive(comm, "error")
    assert (refused["code"], refused["client_id"]) == ("rate_limited", "late")
    assert 0 < refused["retry_after"] <= 1 / chat_services.RATE_PER_SECOND + 0.1
    # The page waits as told and resends the same client id: stored once, after the burst.
    await asyncio.sleep(refused["retry_after"])
    await comm.send_json_to({"type": "send", "body": "too fast", "client_id": "late"})
    assert (await receive(comm, "ack"))["seq"] == chat_services.RATE_BURST + 1
    await comm.send_json_to({"type": "send", "body": "too fast", "client_id": "late"})
    assert (await receive(comm, "ack"))["seq"] == chat_services.RATE_BURST + 1
    assert await db(Message.objects.filter(client_id="late").count)() == 1
    await comm.disconnect()


async def test_rate_limit_counts_across_connections(member, lounge, providers_lounge):
    # Two sockets (two tabs, or two processes sharing the cache) share one bucket.
    first, _ = await join(member, lounge)
    second, _ = await join(member, lounge)
    for i in range(chat_services.RATE_BURST):
        await (first if i % 2 else second).send_json_to({"type": "send", "body": "m", "client_id": f"x{i}"})
        await receive(first if i % 2 else second, "ack")
    await first.send_json_to({"type": "send", "body": "m", "client_id": "over"})
    assert (await receive(first, "error"))["code"] == "rate_limited"
    await first.disconnect()
    await second.disconnect()


async def test_suspended_member_reads_but_cannot_send(member, lounge):
    member.suspended_until = timezone.now() + timedelta(days=1)
    await db(member.save)()
    await db(make_messages)(lounge, member, 2)
    comm, history = await join(member, lounge)
    assert len(history["messages"]) == 2 and history["can_post"] is False
    await comm.send_json_to({"type": "send", "body": "hello", "client_id": "s1"})
    assert (await receive(comm, "error"))["code"] == "suspended"
    assert await db(Message.objects.count)() == 2
    await comm.disconnect()


async def test_author_edits_and_deletes_within_10_minutes(member, other_member, lounge):
    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    await alice.send_json_to({"type": "send", "body": "typo", "client_id": "e1"})
    message_id = (await receive(alice, "ack"))["id"]
    await alice.send_json_to({"type": "edit", "id": message_id, "body": "fixed"})
    update = await receive(bob, "update")
    assert update["edited"] and "fixed" in update["html"]
    await bob.send_json_to({"type": "edit", "id": message_id, "body": "not mine"})
    assert (await receive(bob, "error"))["code"] == "forbidden"
    await alice.send_json_to({"type": "delete", "id": message_id})
    update = await receive(bob, "update")
    assert update["deleted"] and update["html"] == ""
    await alice.disconnect()
    await bob.disconnect()


async def test_edit_after_10_minutes_is_refused(member, lounge):
    (message,) = await db(make_messages)(lounge, member, 1)
    await db(Message.objects.filter(pk=message.pk).update)(created_at=timezone.now() - timedelta(minutes=11))
    comm, _ = await join(member, lounge)
    await comm.send_json_to({"type": "edit", "id": message.pk, "body": "late"})
    assert (await receive(comm, "error"))["code"] == "edit_window_over"
    await comm.disconnect()


async def test_moderator_deletes_any_message(member, moderator, lounge):
    (message,) = await db(make_messages)(lounge, member, 1)
    await db(Message.objects.filter(pk=message.pk).update)(created_at=timezone.now() - timedelta(days=1))
    comm, _ = await join(moderator, lounge)
    await comm.send_json_to({"type": "delete", "id": message.pk})
    assert (await receive(comm, "update"))["deleted"] is True
    await comm.disconnect()


async def test_anyone_reports_a_message_once(member, other_member, lounge):
    (message,) = await db(make_messages)(lounge, member, 1)
    comm, _ = await join(other_member, lounge)
    for _attempt in range(2):
        await comm.send_json_to({"type": "report", "id": message.pk, "reason": "spam"})
        assert (await receive(comm, "reported"))["id"] == message.pk
    assert await db(MessageReport.objects.filter(message=message, reporter=other_member).count)() == 1
    await comm.disconnect()


async def test_message_of_another_room_cannot_be_touched(member, provider, providers_lounge, lounge):
    (secret,) = await db(make_messages)(providers_lounge, provider, 1)
    comm, _ = await join(member, lounge)
    await comm.send_json_to({"type": "report", "id": secret.pk})
    assert (await receive(comm, "error"))["code"] == "not_found"
    await comm.disconnect()


async def test_typing_reaches_others_throttled(member, other_member, lounge):
    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    await alice.send_json_to({"type": "typing"})
    assert (await receive(bob, "typing"))["name"] == "Mei"
    await alice.send_json_to({"type": "typing"})
    await assert_no(bob, "typing")
    await alice.disconnect()
    await bob.disconnect()


async def test_presence_lists_people_in_room_and_drops_leavers(member, other_member, lounge):
    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    names = []
    while names != ["Mei", "Otto"]:
        names = [p["name"] for p in (await receive(alice, "presence"))["people"]]
    await bob.disconnect()
    assert [p["name"] for p in (await receive(alice, "presence"))["people"]] == ["Mei"]
    await alice.send_json_to({"type": "ping"})
    assert [p["name"] for p in (await receive(alice, "presence"))["people"]] == ["Mei"]
    await alice.disconnect()


async def test_read_marker_moves_forward_only(member, lounge):
    await db(make_messages)(lounge, member, 4)
    comm, _ = await join(member, lounge)
    await receive(comm, "presence")  # the join announcement
    for seq in (3, 2, 99):
        await comm.send_json_to({"type": "read", "seq": seq})
    await comm.send_json_to({"type": "ping"})
    await receive(comm, "presence")
    assert (await db(ReadMarker.objects.get)(room=lounge, user=member)).last_read_seq == 4
    await comm.disconnect()


async def test_messages_read_live_in_an_open_room_are_stored_as_read(member, other_member, lounge):
    """The read marker is capped at the room's last message now, not when the reader connected."""
    await db(make_messages)(lounge, other_member, 2)
    reader, _ = await join(member, lounge)
    await receive(reader, "presence")
    writer, _ = await join(other_member, lounge)
    await writer.send_json_to({"type": "send", "body": "still there?", "client_id": "live-1"})
    assert (await receive(reader, "message"))["seq"] == 3
    await reader.send_json_to({"type": "read", "seq": 3})
    await reader.send_json_to({"type": "ping"})
    await receive(reader, "heartbeat")
    assert (await db(ReadMarker.objects.get)(room=lounge, user=member)).last_read_seq == 3
    await writer.disconnect()
    await reader.disconnect()


async def test_service_room_is_for_its_member_and_store_staff(member, other_member, store):
    from content.services import add_store_staff
    from tests.factories import make_user

    room = await db(chat_services.open_service_room)(member=member, store=store)
    staff = await db(make_user)("staff@example.com", display_name="Sam")
    await db(add_store_staff)(user=staff, store=store)
    customer, _ = await join(member, room)
    answer, _ = await join(staff, room)
    await answer.send_json_to({"type": "send", "body": "How can we help?", "client_id": "a1"})
    frame = await receive(customer, "message")
    assert frame["author"] == "Sam" and frame["staff"] is True
    stranger = await open_socket(f"/ws/chat/{room.slug}/", other_member)
    await stranger.connect()
    assert (await stranger.receive_output())["code"] == 4403
    for comm in (customer, answer, stranger):
        await comm.disconnect()
    assert (await db(Room.objects.get)(pk=room.pk)).kind == Room.Kind.SERVICE


async def test_suspension_while_connected_stops_sending(member, moderator, lounge):
    from community.services import suspend_user

    comm, history = await join(member, lounge)
    assert history["can_post"] is True
    await comm.send_json_to({"type": "send", "body": "before", "client_id": "b1"})
    await receive(comm, "ack")
    await db(suspend_user)(moderator=moderator, user=member, days=1, note="spam")
    # The socket closes, so the page reloads to show the notice (tests/community/test_socket_sessions);
    # a frame it still sent is refused by chat_services, which reads the suspension afresh.
    await comm.send_json_to({"type": "send", "body": "after", "client_id": "b2"})
    while (output := await comm.receive_output(3))["type"] != "websocket.close":
        assert json.loads(output["text"]).get("type") != "ack"
    assert output["code"] == 4409
    assert await db(Message.objects.count)() == 1


async def test_second_tab_of_someone_present_gets_the_roster(member, lounge):
    first, _ = await join(member, lounge)
    assert [p["name"] for p in (await receive(first, "presence"))["people"]] == ["Mei"]
    second, _ = await join(member, lounge)  # the roster does not change, so nothing is broadcast
    assert [p["name"] for p in (await receive(second, "presence"))["people"]] == ["Mei"]
    await first.disconnect()
    await second.disconnect()


async def test_one_listener_per_room_and_process(member, other_member, lounge):
    """Sockets share their room's hub: a broadcast reaches the process once, whatever the number of
    sockets, and the hub leaves the group with the last socket."""
    from community.chat import hub as chat_hub

    alice, _ = await join(member, lounge)
    bob, _ = await join(other_member, lounge)
    layer = get_channel_layer()
    group = chat_services.room_group(lounge.pk)
    members = layer.groups[group] if hasattr(layer, "groups") else await _redis_group(layer, group)
    assert len(members) == 1
    hub = chat_hub._hubs[asyncio.get_running_loop()][lounge.pk]
    assert len(hub.sockets) == 2
    await alice.disconnect()
    await bob.disconnect()
    assert lounge.pk not in chat_hub._hubs[asyncio.get_running_loop()]


async def _redis_group(layer, group):
    key = layer._group_key(group)
    async with layer.connection(layer.consistent_hash(group)) as connection:
        return await connection.zrange(key, 0, -1)


async def test_idle_socket_outlives_the_redis_read_timeout(member, other_member, lounge):
    # redis-py 8 reads with a 5 s timeout, as long as channels_redis's blocking pop: without the
    # longer socket_timeout in settings, the room's listener died after 5 quiet seconds on Redis.
    alice, _ = await join(member, lounge)
    await asyncio.sleep(6)
    bob, _ = await join(other_member, lounge)
    await bob.send_json_to({"type": "send", "body": "still there?", "client_id": "idle"})
    assert (await receive(alice, "message"))["seq"] == 1
    await alice.disconnect()
    await bob.disconnect()


async def test_last_leave_stops_the_hub_and_waits_for_its_tasks(member, lounge):
    """The listener ends on the hub's STOP message rather than a cancel (see RoomHub.stop), and
    nothing the hub started is still running once the last socket has left."""
    from community.chat import hub as chat_hub

    alice, _ = await join(member, lounge)
    hub = chat_hub._hubs[asyncio.get_running_loop()][lounge.pk]
    started = set(hub._tasks)
    assert hub._listener in started
    await alice.disconnect()
    assert all(task.done() for task in started) and not hub._tasks
    assert not hub._listener.cancelled()


async def test_a_socket_leaves_its_hub_even_when_presence_is_unreachable(member, lounge, monkeypatch):
    """Redis (where presence lives) is down as the socket closes: it still leaves, so the hub stops
    instead of keeping the socket, and a stale last seq, for the life of the process."""
    import redis

    from community.chat import hub as chat_hub
    from portal import presence

    alice, _ = await join(member, lounge)
    monkeypatch.setattr(presence, "_client", redis.Redis.from_url("redis://127.0.0.1:1/0"))
    with pytest.raises(redis.ConnectionError):
        await alice.disconnect()
    assert lounge.pk not in chat_hub._hubs[asyncio.get_running_loop()]
