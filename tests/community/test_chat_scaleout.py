"""Two real daphne processes sharing Redis and one database: cross-process delivery, presence, rate
limits, and a SIGKILL mid-stream after which every stored message reaches every client exactly once."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
import redis
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from community.chat_models import Room
from portal import roles
from tests.community.conftest import session_cookie
from tests.conftest import make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two daphne processes on free ports; yields {port: process}; both are killed afterwards."""
    redis.Redis.from_url(REDIS_URL).flushdb()  # our own Redis db: no presence or limits from earlier runs
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": REDIS_URL, "DJANGO_DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "MEDIA_ROOT": str(tmp_path)}
    procs = {}
    for _ in range(2):
        port = _free_port()
        log = open(tmp_path / f"daphne-{port}.log", "w")  # noqa: SIM115
        procs[port] = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "portal.asgi:application"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
        )
    deadline = time.monotonic() + 30
    for port, proc in procs.items():
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "daphne did not start"
                time.sleep(0.1)
    yield procs
    for proc in procs.values():
        proc.kill()
        proc.wait(10)


class Client:
    """The test twin of chat.js: reconnects with the last seq seen and resends unacked messages.
    It never de-duplicates, so a duplicate delivery by the server shows up in `seqs`."""

    def __init__(self, cookie: bytes, ports: list[int], room: str):
        self.cookie, self.ports, self.room = cookie.decode(), ports, room
        self.seqs: list[int] = []
        self.pending: dict[str, str] = {}
        self.frames: list[dict] = []
        self.ws = None
        self.ready = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self):
        while True:
            port = self.ports[0]
            after = f"?after={self.seqs[-1]}" if self.seqs else ""
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/chat/{self.room}/{after}",
                    origin=f"http://127.0.0.1:{port}", additional_headers={"Cookie": self.cookie},
                ) as ws:
                    self.ws = ws
                    async for text in ws:
                        self._on(json.loads(text))
                        if not self.ready.is_set() and self.frames[-1]["type"] == "history":
                            self.ready.set()
                            for client_id, body in list(self.pending.items()):
                                await self._send(client_id, body)
            except (OSError, websockets.ConnectionClosed):
                pass
            self.ws = None
            self.ready.clear()
            # The process is gone: fail over to the next one, as a load balancer would.
            if len(self.ports) > 1:
                self.ports.pop(0)
            await asyncio.sleep(0.1)

    def _on(self, frame: dict):
        self.frames.append(frame)
        if frame["type"] == "history":
            self.seqs += [m["seq"] for m in frame["messages"]]
        elif frame["type"] == "message":
            self.seqs.append(frame["seq"])
        elif frame["type"] == "ack":
            self.pending.pop(frame["client_id"], None)
        elif frame["type"] == "error" and frame["code"] == "rate_limited" and frame["client_id"]:
            # As chat.js does: a message the killed process counted but never stored goes out again
            # once the window has passed.
            client_id = frame["client_id"]
            asyncio.get_running_loop().call_later(3.1, lambda: asyncio.ensure_future(
                self._send(client_id, self.pending[client_id])) if client_id in self.pending else None)

    async def _send(self, client_id: str, body: str):
        try:
            await self.ws.send(json.dumps({"type": "send", "body": body, "client_id": client_id}))
        except (AttributeError, websockets.ConnectionClosed):
            pass  # resent after the reconnect

    async def send(self, body: str):
        client_id = uuid.uuid4().hex
        self.pending[client_id] = body
        if self.ready.is_set():
            await self._send(client_id, body)

    async def close(self):
        self.task.cancel()
        if self.ws is not None:
            await self.ws.close()


async def wait_for(predicate, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@sync_to_async
def make_people(count: int):
    people = [make_user(f"p{i}@example.com", roles.MEMBERS, display_name=f"P{i}") for i in range(count)]
    return people, [session_cookie(p) for p in people]


@pytest.fixture
def lounge_slug(lounge):
    return lounge.slug


async def test_message_presence_and_rate_limit_cross_processes(servers, lounge_slug):
    first, second = servers
    (_one, _two), (cookie_one, cookie_two) = await make_people(2)
    a = Client(cookie_one, [first], lounge_slug)
    b = Client(cookie_two, [second], lounge_slug)
    await a.ready.wait()
    await b.ready.wait()
    await a.send("hello from the first process")
    await wait_for(lambda: b.seqs == [1])
    await wait_for(lambda: any(
        f["type"] == "presence" and [p["name"] for p in f["people"]] == ["P0", "P1"] for f in a.frames
    ))
    # The same person on the other process shares the 5-per-3-seconds budget.
    a2 = Client(cookie_one, [second], lounge_slug)
    await a2.ready.wait()
    for i in range(4):
        await (a if i % 2 else a2).send(f"m{i}")
    await wait_for(lambda: not a.pending and not a2.pending)
    await a2.send("one too many")
    await wait_for(lambda: any(f["type"] == "error" and f["code"] == "rate_limited" for f in a2.frames))
    assert await sync_to_async(lambda: Room.objects.get(slug=lounge_slug).last_seq)() == 5
    for client in (a, b, a2):
        await client.close()


async def test_sigkill_mid_stream_loses_nothing_and_duplicates_nothing(servers, lounge_slug):
    first, second = servers
    people, cookies = await make_people(6)
    # Half the clients start on the process we kill; they fail over to the survivor.
    clients = [Client(c, [first, second] if i < 3 else [second], lounge_slug) for i, c in enumerate(cookies)]
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
