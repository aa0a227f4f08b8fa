"""Two real daphne processes sharing Redis and one database: cross-process delivery, presence, rate
limits, and a SIGKILL mid-stream after which every stored message reaches every client exactly once."""

import asyncio
import json
import os
import signal
import time

import pytest
import redis
from asgiref.sync import sync_to_async
from channels_redis.core import RedisChannelLayer

from bench.chat import ChatClient, closed_by_server, open_slow_socket
from community.chat.backlog import BURST_SECONDS, MAX_BEHIND_BYTES
from community.chat.models import Room
from community.chat.services import RATE_BURST, room_group
from portal import roles
from tests.factories import make_user
from tests.servers import free_port, server_env, serving
from tests.sockets import session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two daphne processes on free ports; yields {port: process}; both are stopped afterwards."""
    redis.Redis.from_url(REDIS_URL).flushdb()  # our own Redis db: no presence or limits from earlier runs
    env = server_env(REDIS_URL=REDIS_URL, MEDIA_ROOT=str(tmp_path))
    with serving([free_port(), free_port()], env, tmp_path) as procs:
        yield procs


async def wait_for(predicate, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@sync_to_async
def make_people(count: int):
    people = [make_user(f"p{i}@example.com", roles.MEMBERS, display_name=f"P{i}") for i in range(count)]
    return people, [session_cookie(p).decode() for p in people]


@pytest.fixture
def lounge_slug(lounge):
    return lounge.slug


async def test_message_presence_and_rate_limit_cross_processes(servers, lounge_slug):
    first, second = servers
    (_one, _two), (cookie_one, cookie_two) = await make_people(2)
    a = ChatClient(cookie_one, [first], lounge_slug)
    b = ChatClient(cookie_two, [second], lounge_slug)
    await a.ready.wait()
    await b.ready.wait()
    await a.send("hello from the first process")
    await wait_for(lambda: b.seqs == [1])
    await wait_for(lambda: any(
        f["type"] == "presence" and [p["name"] for p in f["people"]] == ["P0", "P1"] for f in a.frames
    ))
    # The same person on the other process shares the rate limit's bucket.
    a2 = ChatClient(cookie_one, [second], lounge_slug)
    await a2.ready.wait()
    for i in range(RATE_BURST - 1):
        await (a if i % 2 else a2).send(f"m{i}")
    await wait_for(lambda: not a.pending and not a2.pending)
    # The bucket refilled a token or two while those were stored: a few more at once overflow it.
    for i in range(4):
        await a2.send(f"one too many {i}")
    await wait_for(lambda: any(f["type"] == "error" and f["code"] == "rate_limited" for f in a2.frames))
    assert await sync_to_async(lambda: Room.objects.get(slug=lounge_slug).last_seq)() < RATE_BURST + 4
    for client in (a, b, a2):
        await client.close()


async def test_sigkill_mid_stream_loses_nothing_and_duplicates_nothing(servers, lounge_slug):
    first, second = servers
    people, cookies = await make_people(6)
    # Half the clients start on the process we kill; they fail over to the survivor.
    clients = [ChatClient(c, [first, second] if i < 3 else [second], lounge_slug)
               for i, c in enumerate(cookies)]
    for client in clients:
        await client.ready.wait()
    per_person = 5  # the rate limit's budget: nothing here is refused
    for round_ in range(per_person):
        for i, client in enumerate(clients):
            await client.send(f"{i}:{round_}")
        if round_ == 2:
            os.kill(servers[first].pid, signal.SIGKILL)
        await asyncio.sleep(0.05)
    await wait_for(lambda: all(not c.pending for c in clients), timeout=20)
    stored = await sync_to_async(lambda: Room.objects.get(slug=lounge_slug).last_seq)()
    assert stored == len(people) * per_person
    await wait_for(lambda: all(len(c.seqs) >= stored for c in clients))
    await asyncio.sleep(0.3)  # a late duplicate would arrive now
    assert all(c.ports == [second] for c in clients)  # the first process's clients failed over
    for client in clients:
        assert client.seqs == list(range(1, stored + 1))
        await client.close()


async def test_a_socket_that_stops_reading_is_closed_and_holds_nobody_up(servers, lounge_slug):
    """Frames a reader does not take wait in daphne's memory: past the transport's buffer and
    MAX_BEHIND_BYTES more, the socket is closed (its page reconnects and catches up from the
    database) while the socket next to it gets everything."""
    first, _second = servers
    _people, (reader_cookie, slow_cookie) = await make_people(2)
    reader = ChatClient(reader_cookie, [first], lounge_slug)
    await reader.ready.wait()
    slow = await asyncio.to_thread(open_slow_socket, first, slow_cookie, lounge_slug)
    room_id = await sync_to_async(lambda: Room.objects.get(slug=lounge_slug).pk)()
    # The servers' layer (settings with REDIS_URL), also when this process runs the in-memory one.
    layer = RedisChannelLayer(hosts=[REDIS_URL], prefix="tend")
    frame = json.dumps({"type": "noise", "pad": "x" * 20_000})
    # Past what the kernel takes (a loopback socket's send buffer grows to 4 MB here), the transport's
    # 64 KB and MAX_BEHIND_BYTES.
    batches = (6 * 1024 * 1024 + MAX_BEHIND_BYTES) // len(frame) // 50 + 1
    for batch in range(1, batches + 2):
        if batch == batches + 1:
            # The pause outlasts a burst: the next frames find the socket too far behind.
            await asyncio.sleep(BURST_SECONDS + 0.5)
        for _ in range(50):
            await layer.group_send(room_group(room_id), {"type": "chat.update", "frame": frame})
        # In step with the reader: a hub's channel holds only so many messages.
        await wait_for(lambda n=batch: sum(f["type"] == "noise" for f in reader.frames) == 50 * n)
    try:
        assert await asyncio.to_thread(closed_by_server, slow, 10)
    finally:
        slow.close()
        await reader.close()
        await layer.flush()
