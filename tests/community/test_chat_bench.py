"""What bench/chat.py relies on: seeded members whose sessions open chat sockets, and the minimal chat
it measures against, routed only when TEND_BENCH is on."""

import io
import json

import pytest
from asgiref.sync import sync_to_async
from django.core.management import call_command
from django.urls import path

from bench.management.commands import bench_chat_seed
from community.chat.models import Message, Room
from portal.consumers import BenchMinimalChatConsumer
from tend import routing
from tests.sockets import ORIGIN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def seed(users: int) -> dict:
    out = io.StringIO()
    # The bench app is installed only under TEND_BENCH: the command is run from its module.
    call_command(bench_chat_seed.Command(), users=users, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


async def test_seeded_sessions_join_an_emptied_room(lounge, member):  # member: the role groups exist
    from channels.testing import WebsocketCommunicator

    from tend.asgi import application

    seeded = await sync_to_async(seed)(3)
    assert len(seeded["cookies"]) == 3
    room = await sync_to_async(Room.objects.get)(slug=seeded["room"])
    comm = WebsocketCommunicator(application, f"/ws/chat/{room.slug}/", headers=[
        (b"origin", ORIGIN), (b"host", b"127.0.0.1"), (b"cookie", seeded["cookies"][2].encode())])
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from())["type"] == "history"
    await comm.send_json_to({"type": "send", "body": "bench 1.0 1", "client_id": "b"})
    while (await comm.receive_json_from())["type"] != "ack":
        pass
    await comm.disconnect()
    again = await sync_to_async(seed)(3)  # a second run: same members, an empty room again
    assert again["room"] == seeded["room"]
    assert await sync_to_async(Message.objects.filter(room=room).count)() == 0
    assert (await sync_to_async(Room.objects.get)(pk=room.pk)).last_seq == 0


async def test_minimal_chat_is_routed_only_for_benchmarks():
    assert not any(str(p.pattern) == "ws/bench/minimal/" for p in routing.websocket_urlpatterns)


async def test_minimal_chat_sends_every_text_to_every_socket():
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    app = URLRouter([path("ws/bench/minimal/", BenchMinimalChatConsumer.as_asgi())])
    one, two = (WebsocketCommunicator(app, "/ws/bench/minimal/") for _ in range(2))
    assert (await one.connect())[0] and (await two.connect())[0]
    await one.send_to(text_data="bench 1.5 7")
    assert await one.receive_from() == await two.receive_from() == "bench 1.5 7"
    await one.disconnect()
    await two.disconnect()
