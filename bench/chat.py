"""Chat under load: 500 sockets in one room on real daphne processes, Tend's chat next to a minimal
Channels chat (group_send only, no storage, no auth) on the same servers in the same run.

For each process count it starts daphne (DEBUG off, PostgreSQL and Redis from DATABASE_URL and
REDIS_URL, TEND_BENCH on for /ws/bench/minimal/), connects the clients round-robin over the
processes and measures, for fixed send rates and at saturation, the deliveries per second (one
message reaching one socket) and the send→receive latency (p50, p99). Saturation is a closed loop:
a fixed number of messages in flight, the next one sent when one has reached every client.

    python bench/chat.py --quick          # under a minute
    python bench/chat.py --seconds 10     # what `make bench` runs through run_chat_bench()

Load goes only to 127.0.0.1. Compare ratios within one run: the machine is shared.
"""

import argparse
import asyncio
import base64
import functools
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tend_chat"
DEFAULT_REDIS = "redis://127.0.0.1:6379/3"
MINIMAL_PATH = "/ws/bench/minimal/"
# Each body carries its send time and number; the chat's HTML keeps them readable.
STAMP = re.compile(r"bench (\d+\.\d+) (\d+)")
LOGS = ROOT / "bench" / "results"  # daphne-<port>.log: the servers' own output, for errors
IN_FLIGHT = 8  # messages outstanding at saturation
QUIET = 0.5  # seconds without a frame: the room has settled after the joins
CONNECT_AT_ONCE = 50


def server_env(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "false",
        "TEND_BENCH": "true",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def seed(env: dict, users: int, migrate: bool = True) -> dict:
    if migrate:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [PY, "manage.py", "bench_chat_seed", "--users", str(users)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_servers(env: dict, ports: list[int]) -> list[subprocess.Popen]:
    LOGS.mkdir(exist_ok=True)
    procs = [
        subprocess.Popen(
            [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "tend.asgi:application"],
            cwd=ROOT, env=env, stderr=subprocess.STDOUT,
            stdout=open(LOGS / f"daphne-{port}.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        for port in ports
    ]
    deadline = time.monotonic() + 60
    for port, proc in zip(ports, procs, strict=True):
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    stop_servers(procs)
                    raise RuntimeError(f"daphne on port {port} did not start") from None
                time.sleep(0.1)
    return procs


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Load:
    """Sockets in one room, their receipts, and the senders."""

    def __init__(self, kind: str, ports: list[int], cookies: list[str], room: str):
        self.kind, self.ports, self.cookies, self.room = kind, ports, cookies, room
        self.sockets: list = []
        self.receipts: list[tuple[float, float]] = []  # (send time, latency)
        self.reached: dict[int, int] = {}  # message number → sockets it reached
        self.done: dict[int, asyncio.Future] = {}
        self.errors = 0
        self.reconnects = 0
        self.counter = 0
        self.readers: list[asyncio.Task] = []
        self.last_frame = 0.0  # when any socket last received anything

    def _url(self, index: int) -> tuple[str, int]:
        port = self.ports[index % len(self.ports)]
        path = MINIMAL_PATH if self.kind == "minimal" else f"/ws/chat/{self.room}/"
        return f"ws://127.0.0.1:{port}{path}", port

    async def _open(self, index: int, gate: asyncio.Semaphore):
        url, port = self._url(index)
        async with gate:
            for attempt in range(5):
                try:
                    ws = await websockets.connect(
                        url, origin=f"http://127.0.0.1:{port}", open_timeout=60, max_queue=None,
                        additional_headers={"Cookie": self.cookies[index % len(self.cookies)]},
                        compression=None,
                    )
                    break
                except (OSError, websockets.InvalidHandshake):
                    # A busy server's listen backlog overflows now and then: try again, as a browser would.
                    self.reconnects += 1
                    if attempt == 4:
                        raise
                    await asyncio.sleep(0.5)
            if self.kind == "chat":
                while '"history"' not in await ws.recv():
                    pass
        return ws

    async def connect(self, count: int):
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)
        self.sockets = await asyncio.gather(*(self._open(i, gate) for i in range(count)))
        self.readers = [asyncio.create_task(self._read(ws)) for ws in self.sockets]
        self.last_frame = time.monotonic()  # what arrived during the joins is read from here on

    async def _read(self, ws):
        chat = self.kind == "chat"
        try:
            async for text in ws:
                now = self.last_frame = time.monotonic()
                if chat and not text.startswith('{"type": "message"'):
                    if '"error"' in text:
                        self.errors += 1
                    continue
                found = STAMP.search(text)
                if found is None:
                    continue
                sent, number = float(found.group(1)), int(found.group(2))
                self.receipts.append((sent, now - sent))
                reached = self.reached.get(number, 0) + 1
                self.reached[number] = reached
                if reached == len(self.sockets) and number in self.done:
                    self.done.pop(number).set_result(None)
        except websockets.ConnectionClosed:
            pass

    async def send(self, index: int) -> int:
        self.counter += 1
        number = self.counter
        body = f"bench {time.monotonic():.6f} {number}"
        ws = self.sockets[index % len(self.sockets)]
        if self.kind == "chat":
            body = json.dumps({"type": "send", "body": body, "client_id": uuid.uuid4().hex})
        await ws.send(body)
        return number

    async def fixed_rate(self, rate: float, seconds: float):
        start = time.monotonic()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await self.send(i * 7)  # spread the senders over the room (and the rate limit)
        return start

    async def saturate(self, seconds: float):
        start = time.monotonic()
        end = start + seconds
        loop = asyncio.get_running_loop()

        async def lane(offset: int):
            i = offset
            while time.monotonic() < end:
                future = loop.create_future()
                number = self.counter + 1
                self.done[number] = future
                await self.send(i)
                i += IN_FLIGHT
                try:
                    await asyncio.wait_for(future, 5)
                except TimeoutError:
                    self.done.pop(number, None)

        await asyncio.gather(*(lane(n) for n in range(IN_FLIGHT)))
        return start

    async def quiet(self, at_most: float):
        """Until no socket has received anything for QUIET seconds (at most `at_most`): the joins'
        presence updates have passed."""
        deadline = time.monotonic() + at_most
        while (now := time.monotonic()) < deadline and now - self.last_frame < QUIET:
            await asyncio.sleep(0.05)

    async def drained(self, first: int, at_most: float):
        """Until messages `first` and later have reached every socket (at most `at_most` seconds).
        Nothing more can arrive after that, so stopping early counts what a full wait would."""
        deadline = time.monotonic() + at_most
        while time.monotonic() < deadline and any(
            self.reached.get(n, 0) < len(self.sockets) for n in range(first, self.counter + 1)
        ):
            await asyncio.sleep(0.05)

    def measure(self, start: float, seconds: float) -> dict:
        window = [lat for sent, lat in self.receipts if start <= sent < start + seconds]
        window.sort()
        if not window:
            return {"deliveries_per_s": 0.0, "p50_ms": None, "p99_ms": None}
        return {
            "deliveries_per_s": round(len(window) / seconds, 1),
            "p50_ms": round(statistics.median(window) * 1000, 1),
            "p99_ms": round(window[min(len(window) - 1, int(len(window) * 0.99))] * 1000, 1),
        }

    async def close(self):
        for task in self.readers:
            task.cancel()
        for start in range(0, len(self.sockets), CONNECT_AT_ONCE):
            batch = self.sockets[start:start + CONNECT_AT_ONCE]
            await asyncio.gather(*(ws.close() for ws in batch), return_exceptions=True)


class ChatClient:
    """The twin of static/js/chat.js for fault runs and tests: reconnects with the last seq seen (with
    chat.js's backoff: 0.5 s doubling, jittered, capped at 15 s), fails over to the next port as a load
    balancer would, and resends unacknowledged messages. It never de-duplicates, so a duplicate
    delivery by the server shows up in `seqs`; `reconnects` holds each outage's length in seconds
    (connection lost → history received again)."""

    def __init__(self, cookie: str, ports: list[int], room: str):
        self.cookie, self.ports, self.room = cookie, ports, room
        self.seqs: list[int] = []
        self.pending: dict[str, str] = {}
        self.sent_at: dict[str, float] = {}  # client_id → first send
        self.acked: dict[str, int] = {}  # client_id → seq
        self.arrivals: dict[int, float] = {}  # seq → first arrival
        self.frames: list[dict] = []
        self.reconnects: list[float] = []
        self.ws = None
        self.ready = asyncio.Event()
        self.task = asyncio.create_task(self._run())

    async def _run(self):
        attempt = 0
        lost_at = None
        while True:
            port = self.ports[0]
            after = f"?after={self.seqs[-1]}" if self.seqs else ""
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{port}/ws/chat/{self.room}/{after}",
                    origin=f"http://127.0.0.1:{port}", additional_headers={"Cookie": self.cookie},
                    open_timeout=10,
                ) as ws:
                    self.ws = ws
                    attempt = 0
                    async for text in ws:
                        self._on(json.loads(text))
                        if not self.ready.is_set() and self.frames[-1]["type"] == "history":
                            if lost_at is not None:
                                self.reconnects.append(time.monotonic() - lost_at)
                                lost_at = None
                            self.ready.set()
                            for client_id, body in list(self.pending.items()):
                                await self._send(client_id, body)
            except (OSError, TimeoutError, websockets.ConnectionClosed, websockets.InvalidHandshake):
                pass
            self.ws = None
            self.ready.clear()
            if lost_at is None:
                lost_at = time.monotonic()
            if len(self.ports) > 1:
                self.ports.pop(0)
            await asyncio.sleep(min(15, 0.5 * 2 ** attempt) * (0.5 + random.random() / 2))
            attempt += 1

    def _on(self, frame: dict):
        self.frames.append(frame)
        now = time.monotonic()
        if frame["type"] == "history":
            self.seqs += [m["seq"] for m in frame["messages"]]
            for message in frame["messages"]:
                self.arrivals.setdefault(message["seq"], now)
        elif frame["type"] == "message":
            self.seqs.append(frame["seq"])
            self.arrivals.setdefault(frame["seq"], now)
        elif frame["type"] == "ack":
            self.pending.pop(frame["client_id"], None)
            self.acked[frame["client_id"]] = frame["seq"]
        elif frame["type"] == "error" and frame.get("retry_after") and frame["client_id"]:
            # As chat.js does: a message refused for now (rate limited, the server briefly away) goes
            # out again with its client id once the server's retry_after has passed.
            client_id = frame["client_id"]
            asyncio.get_running_loop().call_later(frame.get("retry_after", 1), lambda: asyncio.ensure_future(
                self._send(client_id, self.pending[client_id])) if client_id in self.pending else None)

    async def _send(self, client_id: str, body: str):
        try:
            await self.ws.send(json.dumps({"type": "send", "body": body, "client_id": client_id}))
        except (AttributeError, websockets.ConnectionClosed):
            pass  # resent after the reconnect

    async def send(self, body: str):
        client_id = uuid.uuid4().hex
        self.pending[client_id] = body
        self.sent_at[client_id] = time.monotonic()
        if self.ready.is_set():
            await self._send(client_id, body)

    async def close(self):
        self.task.cancel()
        if self.ws is not None:
            await self.ws.close()


def open_slow_socket(port: int, cookie: str, room: str) -> socket.socket:
    """A WebSocket that completes the handshake and then never reads (a tiny receive buffer, so the
    server's side fills up instead of the kernel's)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((
        f"GET /ws/chat/{room}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: http://127.0.0.1:{port}\r\nCookie: {cookie}\r\n\r\n"
    ).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1024)
    if b" 101 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"slow socket refused: {head[:80]!r}")
    return sock


def heartbeat_frame() -> bytes:
    """chat.js's {"type": "ping"} as a masked client frame: the page stays alive while not reading."""
    payload, mask = b'{"type": "ping"}', os.urandom(4)
    return bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def closed_by_server(sock: socket.socket, timeout: float = 5) -> bool:
    """Drain what the server buffered; True when it ends in the server closing the connection."""
    sock.settimeout(timeout)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return False
    except OSError:
        return True
    return True


async def run_scenario(kind: str, ports, seeded, clients, rates, seconds, drain, settle=4) -> list[dict]:
    load = Load(kind, ports, seeded["cookies"], seeded["room"])
    await load.connect(clients)
    await load.quiet(settle)  # the joins' presence updates pass before anything is measured
    rows = []
    try:
        for rate in [*rates, None]:
            load.receipts.clear()
            load.errors = 0
            first = load.counter + 1
            if rate is None:
                start = await load.saturate(seconds)
            else:
                start = await load.fixed_rate(rate, seconds)
            await load.drained(first, drain)  # the last messages still on their way count
            rows.append({
                "scenario": "chat" if kind == "chat" else "minimal chat",
                "processes": len(ports), "clients": clients,
                "send_rate": "saturated" if rate is None else rate,
                "offered_deliveries_per_s": None if rate is None else rate * clients,
                **load.measure(start, seconds), "errors": load.errors,
            })
    finally:
        await load.close()
    return rows


def run_chat_bench(
    *, database_url: str = DEFAULT_DB, redis_url: str = DEFAULT_REDIS, processes=(1, 2),
    clients: int = 500, rates=(2, 4), seconds: float = 10, drain: float = 2, base_port: int = 8200,
    ports: list[int] | None = None, seed_room: Callable[[], dict] | None = None,
) -> list[dict]:
    """Both chats on each process count; one row per (process count, chat, send rate).

    `seed_room`: runs bench_chat_seed for `clients` members and returns its output (`make bench` runs
    it in its own process); `ports`: daphne processes already running on that database. Otherwise it
    seeds in a subprocess and starts its own servers (base_port and up). The servers start once, at the
    most processes, and N processes are the first N ports: a process without sockets in the room has
    no hub and takes no part."""
    env = server_env(database_url, redis_url)
    if seed_room is None:
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        seed_room = functools.partial(seed, env, clients, migrate=False)
    procs = []
    if ports is None:
        ports = [base_port + n for n in range(max(processes))]
        procs = start_servers(env, ports)
    rows = []
    try:
        for count in processes:
            # An empty room for each count: joins carry the same (no) history on 1 and on 2 processes.
            # After the previous count's messages a join cost twice the server's time.
            seeded = seed_room()
            for kind in ("minimal", "chat"):
                rows += asyncio.run(
                    run_scenario(kind, ports[:count], seeded, clients, rates, seconds, drain))
    finally:
        stop_servers(procs)
    for row in rows:
        minimal = next(
            r for r in rows if r["scenario"] == "minimal chat" and r["processes"] == row["processes"]
            and r["send_rate"] == row["send_rate"]
        )
        row["ratio_to_minimal"] = (
            round(row["deliveries_per_s"] / minimal["deliveries_per_s"], 2)
            if minimal["deliveries_per_s"] else None
        )
    return rows


def print_table(rows: list[dict]) -> None:
    head = (f"{'scenario':<14}{'proc':>5}{'clients':>8}{'msgs/s':>10}{'deliv/s':>10}{'p50 ms':>9}"
            f"{'p99 ms':>9}{'errors':>7}{'÷minimal':>9}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['scenario']:<14}{r['processes']:>5}{r['clients']:>8}{r['send_rate']!s:>10}"
              f"{r['deliveries_per_s']:>10.1f}{r['p50_ms'] or 0:>9.1f}{r['p99_ms'] or 0:>9.1f}"
              f"{r['errors']:>7}{r['ratio_to_minimal'] or 0:>9.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2 s per step, 1 process then 2")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rates", default="2,4", help="messages per second, comma-separated")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--base-port", type=int, default=8200)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args()
    rows = run_chat_bench(
        database_url=args.database_url, redis_url=args.redis_url,
        processes=[int(n) for n in args.processes.split(",")], clients=args.clients,
        rates=[float(r) for r in args.rates.split(",")],
        seconds=2 if args.quick else args.seconds, drain=1 if args.quick else 2,
        base_port=args.base_port,
    )
    print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
