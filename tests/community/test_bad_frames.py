"""Frames our pages never send (binary, not JSON, nested past the recursion limit, not an object, over
the frame limit) get an error frame on every JSON socket, and the socket keeps working."""

import json

import pytest

from portal.websocket import MAX_FRAME_BYTES
from tests.sockets import join, open_socket, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio,
              pytest.mark.usefixtures("no_leftover_tasks")]

NESTED = '{"type": "send", "body": ' + "[" * 5000 + "]" * 5000 + "}"
BAD_FRAMES = {
    "binary": ({"bytes_data": b"\x00\xff{}"}, "bad_request"),
    "not_json": ({"text_data": "{type: send"}, "bad_request"),
    "deeply_nested": ({"text_data": NESTED}, "bad_request"),
    "not_an_object": ({"text_data": '["send", "hi"]'}, "bad_request"),
    # Multi-byte characters: under the limit in characters, over it in bytes.
    "too_long": ({"text_data": json.dumps({"type": "send", "body": "字" * (MAX_FRAME_BYTES // 3 + 1)},
                                          ensure_ascii=False)}, "too_long"),
}


async def _chat(member, lounge, members_topic):
    comm, _history = await join(member, lounge)
    return comm


async def _topic(member, lounge, members_topic):
    comm = await open_socket(f"/ws/topics/{members_topic.pk}/", member)
    assert (await comm.connect())[0]
    return comm


async def _event(member, lounge, members_topic):
    comm = await open_socket("/ws/events/1/", member)
    assert (await comm.connect())[0]
    return comm


async def _notifications(member, lounge, members_topic):
    comm = await open_socket("/ws/notifications/", member)
    assert (await comm.connect())[0]
    return comm


@pytest.mark.parametrize("kind", BAD_FRAMES)
@pytest.mark.parametrize("socket", [_chat, _topic, _event, _notifications], ids=lambda f: f.__name__[1:])
async def test_bad_frame_gets_an_error_frame_and_the_socket_stays_usable(
    socket, kind, member, lounge, members_topic
):
    comm = await socket(member, lounge, members_topic)
    frame, code = BAD_FRAMES[kind]
    for _twice in range(2):  # the first one did not end the consumer: the second is answered too
        await comm.send_to(**frame)
        error = await receive(comm, "error")
        assert error["code"] == code and error["message"]
        assert error["limit"] == MAX_FRAME_BYTES
    await comm.disconnect()


async def test_chat_socket_still_sends_after_bad_frames(member, lounge):
    comm, _history = await join(member, lounge)
    for frame, _code in BAD_FRAMES.values():
        await comm.send_to(**frame)
        await receive(comm, "error")
    await comm.send_json_to({"type": "send", "body": "still here", "client_id": "after-bad"})
    assert (await receive(comm, "ack"))["seq"] == 1
    await comm.disconnect()

