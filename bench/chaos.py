"""`make chaos`: faults against a private production-like stack, one printed table, non-zero exit when a
fault is not survived.

The stack is the run's own, so restarting it disturbs nobody: a Redis on port 6391 and a PostgreSQL
cluster on port 5441 (initdb into a temporary directory, as the `postgres` user when run as root), and
two daphne processes on ports 8300 and 8301 (DEBUG off). Everything started is stopped at the end, also
when a fault fails. The faults, in order:

1. SIGKILL one of two daphne processes during a chat stream: its clients fail over to the other one and
   reconnect within 10 s; every message reaches every client exactly once.
2. Restart Redis: pages keep serving; chat reconnects and every message still reaches every client once.
3. Restart PostgreSQL under load (down 6 s): requests wait for a pooled connection (up to 30 s) or
   answer 503 with the friendly page (never a 500 or a traceback) and serve again within 30 s without
   a process restart; clients retry, and every member is registered for the event once and has their
   reply in the forum once (each reply is also sent twice on purpose, as after a lost answer).
4. Terminate the servers' PostgreSQL connections three times during a chat stream, 2.5 s apart.
5. Reset (TCP RST) twenty sockets while long messages are being written to them.
6. One client sends a 1.1 MiB frame mid-stream (over daphne's 1 MiB limit).
   After each chat fault every client has every stored message exactly once, in seq order, and chat
   stores and delivers again within RECOVERY_GOAL (2 s) of the fault's end.
7. Ten sockets that never read (but send chat.js's heartbeat) in a busy room, first without them for
   comparison: the server closes them (4008), the others' p99 lag stays within twice (or +1 s) the
   room's without them, and daphne grows by less than 20 MB more than without them.

    python bench/chaos.py                  # about five minutes; also bench/results/chaos-<time>.json
    python bench/chaos.py --only slow      # one fault (kill, redis, postgres, pgterm, peer, frame, slow)
"""

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import websockets
from channels_redis.core import RedisChannelLayer
from chat import (
    LOGS,
    ChatClient,
    closed_by_server,
    heartbeat_frame,
    open_slow_socket,
    seed,
    server_env,
    start_servers,
    stop_servers,
)
from run import CSRF, manage_json

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PORTS = [8300, 8301]
REDIS_PORT = 6391
PG_PORT = 5441
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/tend"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
MEMBERS = 60  # seeded bench members: chat clients, writers and slow sockets draw from them
CHAT_CLIENTS = 20
SEND_EVERY = 0.8  # seconds between one client's messages: inside the 5-per-3-seconds rate limit
WRITERS = 40  # members who register and reply while PostgreSQL restarts
BUSY_READERS = 10  # the busy room's readers next to the slow sockets
FRIENDLY = "We are back in a moment"  # templates/503.html
OK = range(200, 400)
RECOVERY_GOAL = 2.0  # seconds from a fault's end until chat stores and delivers again (issue 19)


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on port {port}") from None
            time.sleep(0.1)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class Services:
    """The run's private Redis and PostgreSQL, restartable at will."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="tend-chaos-"))
        self.pgdata = self.dir / "pg"
        self.redis: subprocess.Popen | None = None
        self.pg_started = False
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        self.pg_bin = bins[-1] if bins else Path(shutil.which("pg_ctl") or "pg_ctl").parent

    def _as_postgres(self, argv: list) -> list:
        # PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
        return ["runuser", "-u", "postgres", "--", *map(str, argv)] if os.geteuid() == 0 else argv

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=open(self.dir / "redis.log", "a"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )
        wait_port(REDIS_PORT)

    def stop_redis(self) -> None:
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(10)
        self.redis = None

    def init_postgres(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        subprocess.run(
            self._as_postgres([self.pg_bin / "initdb", "-D", self.pgdata, "-A", "trust", "-U", "postgres",
                               "-E", "UTF8", "--locale=C", "--no-sync"]),
            check=True, capture_output=True,
        )
        self.start_postgres()
        subprocess.run([self.pg_bin / "createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
                        "tend"], check=True)

    def start_postgres(self) -> None:
        subprocess.run(self._as_postgres([
            self.pg_bin / "pg_ctl", "-D", self.pgdata, "-l", self.dir / "pg.log", "-w", "-o",
            f"-p {PG_PORT} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ]), check=True, capture_output=True)
        self.pg_started = True

    def stop_postgres(self) -> None:
        subprocess.run(self._as_postgres([self.pg_bin / "pg_ctl", "-D", self.pgdata, "-m", "fast", "-w",
                                          "stop"]), check=True, capture_output=True)
        self.pg_started = False

    def close(self) -> None:
        self.stop_redis()
        if self.pg_started:
            self.stop_postgres()
        shutil.rmtree(self.dir, ignore_errors=True)


class Stack:
    """Services plus two daphne processes; a killed process can be started again."""

    def __init__(self, services: Services, env: dict):
        self.services, self.env = services, env
        self.procs: dict[int, subprocess.Popen] = {}

    def start(self, ports: list[int]) -> None:
        self.procs.update(zip(ports, start_servers(self.env, ports), strict=True))

    def rss_mb(self, port: int) -> float:
        status = Path(f"/proc/{self.procs[port].pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024

    def close(self) -> None:
        stop_servers(list(self.procs.values()))


# ---- HTTP load --------------------------------------------------------------------------------


class Recorder:
    """Every response with its time, so a phase's status counts and the recovery can be read off."""

    def __init__(self):
        self.t0 = time.monotonic()
        self.responses: list[tuple[float, str, int, bool]] = []  # (time, kind, status, friendly 503)

    def add(self, kind: str, status: int, text: str = "") -> None:
        friendly = status != 503 or (FRIENDLY in text and "Traceback" not in text)
        self.responses.append((time.monotonic() - self.t0, kind, status, friendly))

    def now(self) -> float:
        return time.monotonic() - self.t0

    def statuses(self, start: float, end: float | None = None) -> dict:
        counts: dict[str, int] = {}
        for at, _kind, status, _friendly in self.responses:
            if at >= start and (end is None or at <= end):
                key = "error" if status == 0 else str(status)
                counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items()))

    def recovery(self, up_at: float) -> float:
        """Seconds from the service being back to the last failed response."""
        failed = [at for at, _kind, status, _f in self.responses if at >= up_at and status not in OK]
        return round(max(failed) - up_at, 1) if failed else 0.0


async def request(client: httpx.AsyncClient, recorder: Recorder, kind: str, method: str, path: str,
                  **kwargs) -> httpx.Response | None:
    try:
        response = await client.request(method, path, **kwargs)
    except httpx.HTTPError:
        recorder.add(kind, 0)
        return None
    recorder.add(kind, response.status_code, response.text if response.status_code >= 500 else "")
    return response


def http_client(port: int, session: str | None = None) -> httpx.AsyncClient:
    cookies = {"csrftoken": CSRF}
    if session:
        name, _sep, value = session.partition("=")
        cookies[name] = value
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", cookies=cookies, timeout=15,
                             headers={"X-CSRFToken": CSRF, "Referer": f"http://127.0.0.1:{port}/"})


async def read_pages(port: int, paths: list[str], recorder: Recorder, stop: asyncio.Event,
                     session: str | None = None) -> None:
    async with http_client(port, session) as client:
        while not stop.is_set():
            for path in paths:
                await request(client, recorder, "page", "GET", path)
            await asyncio.sleep(0.05)


# ---- chat helpers -----------------------------------------------------------------------------


async def stream(clients: list[ChatClient], seconds: float, body: str = "chaos",
                 every: float = SEND_EVERY) -> None:
    """Every client sends one message each `every` seconds (staggered) for `seconds`."""

    async def one(index: int, client: ChatClient):
        await asyncio.sleep(every * index / len(clients))
        for n in range(int(seconds / every)):
            await client.send(f"{body} {index}:{n}")
            await asyncio.sleep(every)

    await asyncio.gather(*(one(i, c) for i, c in enumerate(clients)))


async def settle(clients: list[ChatClient], timeout: float = 45,
                 fault: tuple[float, float] | None = None) -> dict:
    """Wait until every message was acknowledged and reached everyone; then count. `fault` is
    (start, end) in time.monotonic(): the delivery recovery is read off the messages sent from its
    start on."""
    deadline = time.monotonic() + timeout
    while any(c.pending for c in clients) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    sent = sum(len(c.sent_at) for c in clients)
    unacked = sum(len(c.pending) for c in clients)
    stored = max((max(c.seqs, default=0) for c in clients), default=0)
    while time.monotonic() < deadline and any(len(set(c.seqs)) < stored for c in clients):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # a late duplicate would arrive now
    expected = set(range(1, stored + 1))
    return {
        "sent": sent,
        "stored": stored,
        "lost": unacked + max(0, sent - unacked - stored),
        "doubled_in_db": max(0, stored - sent),
        "received": sum(len(c.seqs) for c in clients),
        "missing": sum(len(expected - set(c.seqs)) for c in clients),
        "duplicated": sum(len(c.seqs) - len(set(c.seqs)) for c in clients),
        "out_of_order": sum(1 for c in clients if c.seqs != sorted(c.seqs)),
        "recovery_s": recovery(clients, *fault) if fault else None,
        "reconnect_max_s": round(max((r for c in clients for r in c.reconnects), default=0), 2),
        "reconnects": sum(len(c.reconnects) for c in clients),
        "error_codes": sorted({f["code"] for c in clients for f in c.frames if f["type"] == "error"}),
    }


def recovery(clients: list[ChatClient], start: float, end: float) -> float:
    """Seconds from the end of a fault (the service answering again) until a message sent from the
    fault's start on had reached every client: the longest such wait, so a message that met the
    fault counts from the moment it could have gone through."""
    sent = {c.acked[cid]: c.sent_at[cid] for c in clients for cid in c.acked}
    waits = [
        max(c.arrivals.get(seq, float("inf")) for c in clients) - max(at, end)
        for seq, at in sent.items() if at >= start
    ]
    return round(max(waits, default=0.0), 2)


def clean(result: dict) -> bool:
    """Every stored message reached every client exactly once, in seq order, and none was lost."""
    return not any(result[key] for key in ("lost", "missing", "duplicated", "doubled_in_db", "out_of_order"))


def tracebacks(since: dict[int, int]) -> int:
    """Tracebacks the daphne processes logged since the offsets in `since` (port: log size)."""
    return sum((LOGS / f"daphne-{port}.log").read_bytes()[offset:].count(b"Traceback")
               for port, offset in since.items())


def log_sizes() -> dict[int, int]:
    return {port: (LOGS / f"daphne-{port}.log").stat().st_size for port in PORTS}


def delivery_lags(clients: list[ChatClient]) -> list[float]:
    """Send → arrival, in seconds, for every message at every client."""
    sent = {c.acked[cid]: c.sent_at[cid] for c in clients for cid in c.acked}
    return sorted(at - sent[seq] for c in clients for seq, at in c.arrivals.items() if seq in sent)


async def connect(cookies: list[str], ports_of, room: str) -> list[ChatClient]:
    clients = [ChatClient(cookie, ports_of(i), room) for i, cookie in enumerate(cookies)]
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 30)
    return clients


async def close_all(clients: list[ChatClient]) -> None:
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


# ---- the faults -------------------------------------------------------------------------------


async def kill_daphne(stack: Stack, seeded: dict) -> dict:
    first, second = PORTS
    cookies = seeded["cookies"][:CHAT_CLIENTS]
    # Half the clients start on the process that dies; they fail over to the other one.
    clients = await connect(cookies, lambda i: [first, second] if i % 2 else [second], seeded["room"])
    sender = asyncio.create_task(stream(clients, 8))
    await asyncio.sleep(3)
    stack.procs[first].send_signal(signal.SIGKILL)
    stack.procs[first].wait()
    await sender
    result = await settle(clients)
    await close_all(clients)
    stack.start([first])  # for the next faults
    result["passed"] = (result["reconnect_max_s"] <= 10 and result["reconnects"] >= len(clients) // 2
                        and not (result["lost"] or result["missing"] or result["duplicated"]
                                 or result["doubled_in_db"]))
    return result


async def restart_redis(stack: Stack, seeded: dict, pages: list[str], down: float = 3) -> dict:
    clients = await connect(seeded["cookies"][:CHAT_CLIENTS], lambda i: [PORTS[i % 2]], seeded["room"])
    recorder = Recorder()
    stop = asyncio.Event()
    readers = [asyncio.create_task(read_pages(port, pages, recorder, stop)) for port in PORTS]
    sender = asyncio.create_task(stream(clients, 10))
    await asyncio.sleep(3)
    down_at, fault_start = recorder.now(), time.monotonic()
    stack.services.stop_redis()
    await asyncio.sleep(down)
    stack.services.start_redis()
    up_at, fault_end = recorder.now(), time.monotonic()
    await sender
    result = await settle(clients, fault=(fault_start, fault_end))
    stop.set()
    await asyncio.gather(*readers)
    await close_all(clients)
    result["http_during_outage"] = recorder.statuses(down_at, up_at + 1)
    result["http_recovery_s"] = recorder.recovery(up_at)
    failed_pages = sum(n for status, n in result["http_during_outage"].items()
                       if status == "error" or not 200 <= int(status) < 400)
    result["passed"] = failed_pages == 0 and clean(result) and result["recovery_s"] <= RECOVERY_GOAL
    return result


def terminate_backends() -> int:
    """pg_terminate_backend on every connection of the servers to the database, as an administrator
    or a failover would; the number terminated."""
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "tend", "-tAc",
         "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
         "WHERE datname = 'tend' AND pid <> pg_backend_pid()"],
        check=True, capture_output=True, text=True,
    ).stdout
    return int(out.strip() or 0)


async def terminate_postgres_connections(stack: Stack, seeded: dict, times: int = 3) -> dict:
    """The servers' database connections terminated mid-stream, three times a few seconds apart."""
    clients = await connect(seeded["cookies"][:CHAT_CLIENTS], lambda i: [PORTS[i % 2]], seeded["room"])
    sender = asyncio.create_task(stream(clients, 10))
    await asyncio.sleep(2)
    first = time.monotonic()
    terminated = []
    for _ in range(times):
        terminated.append(await asyncio.to_thread(terminate_backends))
        await asyncio.sleep(2.5)
    last = first + 2.5 * (times - 1)
    await sender
    result = await settle(clients, fault=(first, last))
    await close_all(clients)
    result["terminated"] = terminated
    result["passed"] = clean(result) and result["recovery_s"] <= RECOVERY_GOAL and all(terminated)
    return result


async def close_peers_mid_write(stack: Stack, seeded: dict, peers: int = 20) -> dict:
    """Sockets that never read while 1,900-character messages stream in (so the server is writing to
    them), reset (TCP RST) one after another: the room's other sockets must not notice."""
    cookies = seeded["cookies"]
    since = log_sizes()
    clients = await connect(cookies[:CHAT_CLIENTS], lambda i: [PORTS[i % 2]], seeded["room"])
    sockets = [open_slow_socket(PORTS[i % 2], cookie, seeded["room"])
               for i, cookie in enumerate(cookies[CHAT_CLIENTS:CHAT_CLIENTS + peers])]
    sender = asyncio.create_task(stream(clients, 8, body="peer " + "x" * 1900))
    await asyncio.sleep(2)
    start = time.monotonic()
    for sock in sockets:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # with linger 0: a reset, mid-write
        await asyncio.sleep(3 / peers)
    end = time.monotonic()
    await sender
    result = await settle(clients, fault=(start, end))
    await close_all(clients)
    result["peers_reset"] = peers
    result["tracebacks"] = tracebacks(since)
    result["passed"] = clean(result) and result["recovery_s"] <= RECOVERY_GOAL and not result["tracebacks"]
    return result


async def oversized_frame(stack: Stack, seeded: dict, size: int = 1_100 * 1024) -> dict:
    """One client sends a 1.1 MiB frame mid-stream (daphne's limit is 1 MiB): only that socket is
    closed, its page reconnects and catches up, the room goes on."""
    since = log_sizes()
    clients = await connect(seeded["cookies"][:CHAT_CLIENTS], lambda i: [PORTS[i % 2]], seeded["room"])
    sender = asyncio.create_task(stream(clients, 8))
    await asyncio.sleep(3)
    start = time.monotonic()
    big = clients[0]
    with contextlib.suppress(websockets.ConnectionClosed):  # closed under us: counted below
        await big.ws.send(json.dumps({"type": "send", "body": "x" * size, "client_id": uuid.uuid4().hex}))
    end = time.monotonic()
    await sender
    result = await settle(clients, fault=(start, end))
    await close_all(clients)
    result["big_client_reconnects"] = len(big.reconnects)
    result["big_client_errors"] = sorted({f["code"] for f in big.frames if f["type"] == "error"})
    result["tracebacks"] = tracebacks(since)
    result["passed"] = clean(result) and result["recovery_s"] <= RECOVERY_GOAL and not result["tracebacks"]
    return result


async def write_with_retries(port: int, session: str, recorder: Recorder, method: str, path: str,
                             data: dict, give_up_at: float) -> httpx.Response | None:
    """A browser user retrying until the write is answered with a redirect (success or "already")."""
    async with http_client(port, session) as client:
        while time.monotonic() < give_up_at:
            response = await request(client, recorder, "write", method, path, data=data)
            if response is not None and response.status_code == 302:
                return response
            await asyncio.sleep(0.5 if response is None or response.status_code >= 500 else 2)
    return None


async def restart_postgres(stack: Stack, env: dict, down: float = 6) -> dict:
    race = manage_json(env, "bench_race", "setup", "--members", str(WRITERS), "--seats", str(WRITERS))
    topic = manage_json(env, "bench_chaos_topic", "setup")["path"]
    sessions = [f"sessionid={key}" for key in race["sessions"]]
    recorder = Recorder()
    stop = asyncio.Event()
    readers = [asyncio.create_task(read_pages(port, [topic, "/me/"], recorder, stop, sessions[i]))
               for i, port in enumerate(PORTS)]
    give_up_at = time.monotonic() + 90
    answers: list[tuple[str, str]] = []

    async def member(index: int):
        await asyncio.sleep(index * 10 / WRITERS)  # spread over before, during and after the outage
        port, session = PORTS[index % 2], sessions[index]
        await write_with_retries(port, session, recorder, "POST", race["path"], {}, give_up_at)
        # The same reply submitted twice with one token, as a retry after a lost response would.
        form = {"body": f"Chaos reply {index}", "token": uuid.uuid4().hex}
        for _ in range(2):
            response = await write_with_retries(port, session, recorder, "POST", topic, form, give_up_at)
            answers.append((str(index), response.headers["location"] if response else ""))

    writers = asyncio.gather(*(member(i) for i in range(WRITERS)))
    await asyncio.sleep(2)
    down_at = recorder.now()
    await asyncio.to_thread(stack.services.stop_postgres)
    await asyncio.sleep(down)
    await asyncio.to_thread(stack.services.start_postgres)
    up_at = recorder.now()
    await writers
    stop.set()
    await asyncio.gather(*readers)
    registrations = manage_json(env, "bench_race", "count")
    replies = manage_json(env, "bench_chaos_topic", "count")
    registered = registrations["confirmed"] + registrations["waitlisted"]
    outage = recorder.statuses(down_at, None)
    unfriendly = sum(1 for at, _k, _s, friendly in recorder.responses if at >= down_at and not friendly)
    result = {
        "http_during_outage": outage,
        "unfriendly_503": unfriendly,
        "recovery_s": recorder.recovery(up_at),
        "registrations": registered,
        "registrations_lost": WRITERS - registrations["members"],
        "registrations_doubled": registered - registrations["members"],
        "replies": replies["replies"],
        "replies_lost": WRITERS - replies["members"],
        "replies_doubled": replies["doubled"],
        "unanswered_writes": sum(1 for _member, location in answers if not location),
    }
    result["passed"] = (
        result["recovery_s"] <= 30 and not unfriendly and "500" not in outage
        and not any(result[key] for key in ("registrations_lost", "registrations_doubled",
                                            "replies_lost", "replies_doubled", "unanswered_writes"))
    )
    return result


async def busy_room(stack: Stack, env: dict, slow: int, seconds: float) -> dict:
    """Readers on both processes, each sending a 1,900-character message a second, and roster-sized
    frames (400 names, 20 KB, as joins and leaves push them) eight times a second; `slow` sockets on
    the first process never read but send chat.js's heartbeat. Past what the kernel holds for a
    socket (about 3 MB here) the rest waits in daphne."""
    port = PORTS[0]
    seeded = seed(env, MEMBERS)
    cookies = seeded["cookies"]
    clients = await connect(cookies[:BUSY_READERS], lambda i: [PORTS[i % 2]], seeded["room"])
    sockets = [open_slow_socket(port, cookie, seeded["room"])
               for cookie in cookies[BUSY_READERS:BUSY_READERS + slow]]
    layer = RedisChannelLayer(hosts=[REDIS_URL], prefix="tend")  # tend/settings.py's prefix
    roster = json.dumps({"type": "presence", "people": [
        {"id": n, "name": f"Member {n}", "tier": "standard"} for n in range(400)]})
    rss = [stack.rss_mb(port)]
    sampling = True

    async def sample():
        beat = time.monotonic()
        while sampling:
            rss.append(stack.rss_mb(port))
            if time.monotonic() - beat > 10:
                beat = time.monotonic()
                for sock in sockets:
                    try:
                        sock.sendall(heartbeat_frame())
                    except OSError:
                        pass  # closed by the server
            await asyncio.sleep(0.5)

    async def rosters():
        for _ in range(int(seconds * 8)):
            await layer.group_send(f"chat.{seeded['room_id']}", {"type": "chat.update", "frame": roster})
            await asyncio.sleep(1 / 8)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(stream(clients, seconds, body="busy " + "x" * 1900, every=1.0), rosters())
    result = await settle(clients)
    result["received_per_reader"] = [len(set(c.seqs)) for c in clients]
    sampling = False
    await sampler
    await layer.flush()
    lags = delivery_lags(clients)
    result["lag_p50_ms"] = round(statistics.median(lags) * 1000) if lags else None
    result["lag_p99_ms"] = round(lags[int(len(lags) * 0.99)] * 1000) if lags else None
    result["closed_by_server"] = sum(
        await asyncio.gather(*(asyncio.to_thread(closed_by_server, s) for s in sockets)))
    for sock in sockets:
        sock.close()
    await close_all(clients)
    result["rss_mb_start"], result["rss_mb_peak"] = round(rss[0]), round(max(rss))
    return result


async def slow_client(stack: Stack, env: dict, slow: int = 10, seconds: float = 30) -> dict:
    """The busy room without and then with slow sockets; the slow ones must not hold up the others,
    nor make the process grow more than the room alone does."""
    baseline = await busy_room(stack, env, 0, seconds)
    loaded = await busy_room(stack, env, slow, seconds)
    result = {**loaded, "slow_sockets": slow, "baseline": baseline}
    grown = loaded["rss_mb_peak"] - loaded["rss_mb_start"]
    baseline_grown = baseline["rss_mb_peak"] - baseline["rss_mb_start"]
    result["rss_mb_growth"], result["baseline_rss_mb_growth"] = grown, baseline_grown
    result["baseline_lag_p99_ms"] = baseline["lag_p99_ms"]
    result["passed"] = (
        loaded["lag_p99_ms"] is not None and baseline["lag_p99_ms"] is not None
        and loaded["lag_p99_ms"] <= max(2 * baseline["lag_p99_ms"], baseline["lag_p99_ms"] + 1000)
        and grown - baseline_grown < 20 and loaded["closed_by_server"] == slow
        and not (loaded["lost"] or loaded["missing"] or loaded["duplicated"])
    )
    return result


# ---- the run ----------------------------------------------------------------------------------


def summary(name: str, r: dict) -> str:
    chat = (f"msgs sent {r.get('sent')}, missing {r.get('missing')}, duplicated {r.get('duplicated')}, "
            f"lost {r.get('lost')}")
    if name == "SIGKILL daphne":
        return f"reconnect max {r['reconnect_max_s']} s ({r['reconnects']} clients); {chat}"
    chat += f", out of order {r.get('out_of_order')}"
    if r.get("recovery_s") is not None:
        chat += f"; chat recovery {r['recovery_s']} s"
    if name == "restart Redis":
        return (f"HTTP during outage {r['http_during_outage']}, recovery {r['http_recovery_s']} s; "
                f"reconnect max {r['reconnect_max_s']} s ({r['reconnects']} clients); {chat}")
    if name == "terminate DB connections":
        return f"terminated {r['terminated']} connections; reconnects {r['reconnects']}; {chat}"
    if name == "reset peers mid-write":
        return f"{r['peers_reset']} peers reset; tracebacks {r['tracebacks']}; {chat}"
    if name == "1.1 MiB frame":
        return (f"sender reconnected {r['big_client_reconnects']}x, errors {r['big_client_errors']}; "
                f"tracebacks {r['tracebacks']}; {chat}")
    if name == "restart PostgreSQL":
        return (f"HTTP during outage {r['http_during_outage']}, unfriendly {r['unfriendly_503']}, "
                f"recovery {r['recovery_s']} s; registrations {r['registrations']} "
                f"(lost {r['registrations_lost']}, doubled {r['registrations_doubled']}), replies "
                f"{r['replies']} (lost {r['replies_lost']}, doubled {r['replies_doubled']})")
    return (f"{r['slow_sockets']} slow sockets: {r['closed_by_server']} closed by the server; daphne RSS "
            f"+{r['rss_mb_growth']} MB (+{r['baseline_rss_mb_growth']} MB without them); others' lag p99 "
            f"{r['lag_p99_ms']} ms ({r['baseline_lag_p99_ms']} ms without); {chat}")


def print_table(rows: list[dict]) -> None:
    width = max(len(row["fault"]) for row in rows)
    print(f"{'fault':<{width}}  result  measured")
    print("-" * (width + 80))
    for row in rows:
        print(f"{row['fault']:<{width}}  {'pass' if row['passed'] else 'FAIL':<6}  {row['measured']}")


FAULTS = {  # --only key: table name
    "kill": "SIGKILL daphne",
    "redis": "restart Redis",
    "postgres": "restart PostgreSQL",
    "pgterm": "terminate DB connections",
    "peer": "reset peers mid-write",
    "frame": "1.1 MiB frame",
    "slow": "slow WebSocket client",
}


async def faults(stack: Stack, env: dict, only: list[str]) -> list[dict]:
    rows = []
    pages = ["/", "/events/", "/community/"]
    runs = {
        "kill": lambda: kill_daphne(stack, seed(env, MEMBERS)),
        "redis": lambda: restart_redis(stack, seed(env, MEMBERS), pages),
        "postgres": lambda: restart_postgres(stack, env),
        "pgterm": lambda: terminate_postgres_connections(stack, seed(env, MEMBERS)),
        "peer": lambda: close_peers_mid_write(stack, seed(env, MEMBERS)),
        "frame": lambda: oversized_frame(stack, seed(env, MEMBERS)),
        "slow": lambda: slow_client(stack, env),
    }
    for key in only:
        name, run = FAULTS[key], runs[key]
        started = time.monotonic()
        try:
            result = await run()
        except Exception as exc:  # a fault that breaks the run is a failed fault, and the next ones run
            result = {"passed": False, "error": repr(exc)}
        result["seconds"] = round(time.monotonic() - started, 1)
        measured = summary(name, result) if "error" not in result else f"error: {result['error']}"
        rows.append({"fault": name, "passed": result["passed"], "measured": measured, "details": result})
        print(f"{name}: {'pass' if result['passed'] else 'FAIL'} ({result['seconds']} s)", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--only", default=",".join(FAULTS),
                        help=f"comma-separated, from {', '.join(FAULTS)} (default: all, in that order)")
    only = [key for key in parser.parse_args().only.split(",") if key]
    if unknown := set(only) - set(FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    for port in [REDIS_PORT, PG_PORT, *PORTS]:
        if not port_free(port):
            print(f"port {port} is in use: is another `make chaos` running?", file=sys.stderr)
            return 2
    started = datetime.now(UTC)
    services = Services()
    env = {**server_env(DATABASE_URL, REDIS_URL), "MEDIA_ROOT": str(services.dir / "media")}
    stack = Stack(services, env)
    try:
        services.start_redis()
        services.init_postgres()
        seed(env, MEMBERS)  # migrates, then the bench members and their room
        subprocess.run([sys.executable, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # stores and an events index for the registration race
        stack.start(PORTS)
        rows = asyncio.run(faults(stack, env, only))
    finally:
        stack.close()
        services.close()
    print()
    print_table(rows)
    survived = sum(row["passed"] for row in rows)
    print(f"\nfaults survived: {survived}/{len(rows)}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"chaos-{started:%Y-%m-%d-%H%M}.json"
    out.write_text(json.dumps({
        "started": started.isoformat(), "seconds": round((datetime.now(UTC) - started).total_seconds()),
        "load_average": os.getloadavg(), "faults_survived": survived, "rows": rows,
    }, indent=2, ensure_ascii=False))
    print(f"written: {out.relative_to(ROOT)}")
    return 0 if survived == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
