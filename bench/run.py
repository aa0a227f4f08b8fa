"""`make bench`: a production-like stack on this machine, real load, one printed table.

Starts the servers (DEBUG off, PostgreSQL and Redis from DATABASE_URL/REDIS_URL, hashed static files)
on ports 8100-8199 of 127.0.0.1, loads `seed_demo --scale N` once, then for each server (daphne
processes, gunicorn's workers as production serves HTTP, uvicorn's with --servers) on one and two
processes measures:
- each page with wrk (requests/s, p50, p99) next to a hello-world view on the same servers (the
  ceiling) and its ratio to it; content pages also with the anonymous page cache bypassed;
- the registration race (500 signed-in members, 50 seats, all at once), checked exact against the
  database, and scans at the door (ticket check-in; one entry per kind in SCANS).
On gunicorn, for each process count, the references: a bare Django hello (bench/bare.py, no middleware)
and Tend's content pages with the page cache and fragments off (what rendering costs). Then the peer,
the Wagtail team's demo site (bench/peer.py, set up once outside the project), on gunicorn with as many
workers. Queries per request are counted in a separate pass. Results: a table on stdout, issue 22's
goals as ratios of this run (met or MISSED, with the worst page), and bench/results/<date>.json.
Compare ratios from one run: the machine is noisy.
"""

import argparse
import asyncio
import contextlib
import io
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

import httpx
import peer as peer_site
from chat import LOGS, run_chat_bench
from chat import print_table as print_chat_table

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tend_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/4"
PORTS = range(8100, 8200)
# Honoured only when TEND_BENCH is on (portal.caching.pages): measures what a page costs to render.
BYPASS = {"X-Tend-Bench-Bypass": "1"}
CSRF = "benchbenchbenchbenchbenchbench01"  # any 32 letters/digits: sent as cookie and header

HELLO = ("hello (ceiling)", "/bench/hello")
# scenario names from `manage.py bench_paths`: signed in (forum pages are read signed in), and
# measured uncached too
SIGNED_IN = {"topic, 20 posts, signed in", "topic list, signed in", "/me/, signed in"}
CONTENT = {"home", "care tip", "story index", "event page"}
# door scans: kinds for `manage.py bench_scans` (coupon scans join here)
SCANS = ["ticket"]
TICKETS_WAIT = 60  # seconds after the race for the worker to send its ticket e-mails


def env_for(args) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_MANIFEST": "true",
        "TEND_BENCH": "true",
        # As in production: background work (ticket e-mails) leaves the request for db_worker.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def manage(env, *argv, capture=False):
    return subprocess.run(
        [PY, "manage.py", *argv], cwd=ROOT, env=env, check=True, text=True,
        capture_output=capture,
    )


def manage_json(env, *argv):
    """A command in its own process (bench/chaos.py: its database restarts under it)."""
    return json.loads(manage(env, *argv, capture=True).stdout.strip().splitlines()[-1])


def setup_django(env):
    """Django in this process, with the servers' environment, for the bench's own commands (migrate,
    seed, paths, sessions, race and scan setup): each `manage.py` subprocess paid Django and Wagtail's
    start-up, about 3 s, a dozen times a run. The servers still run in their own processes."""
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.db import connections

    local_zone = os.environ.get("TZ")
    django.setup()
    # Django sets the process's zone to TIME_ZONE; the results file is named in the machine's own.
    if local_zone is None:
        os.environ.pop("TZ")
    else:
        os.environ["TZ"] = local_zone
    time.tzset()
    # No connection pool here: one command at a time, and a pool would keep connections open
    # (PostgreSQL's 100 are shared with the servers' pools) while the servers are loaded.
    connections["default"].settings_dict["OPTIONS"].pop("pool", None)


def command(*argv) -> str:
    """`manage.py argv` in this process (after setup_django); its output."""
    from django.core.management import call_command
    from django.db import connections

    out = io.StringIO()
    try:
        call_command(*argv, stdout=out)
    finally:
        connections.close_all()  # none held while the servers are loaded
    return out.getvalue()


def command_json(*argv):
    return json.loads(command(*argv).strip().splitlines()[-1])


def prepare(args):
    name = args.database_url.rsplit("/", 1)[1]
    # psql quotes the name itself (:'name'), so a URL cannot inject SQL; -c would not interpolate.
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tA", "-v", f"name={name}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'name';\n",
        capture_output=True, text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    command("migrate", "--noinput", "-v0")
    started = time.monotonic()
    command("seed_demo", "--scale", str(args.scale))
    seeded = time.monotonic() - started
    # The seed writes in bulk, which no cached value hears of: start from an empty cache.
    from django.core.cache import cache

    cache.clear()
    # Fresh planner statistics, as autovacuum keeps them in production: right after the bulk
    # seed PostgreSQL estimated 1 row for the forum's 2,000 topics when planning the topic list.
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "ANALYZE"],
                   check=True)
    return seeded


def task_worker(env):
    """Production's worker beside the servers. The queue is drained first, in this process: a fresh
    seed leaves Wagtail's reference-index tasks for every page, which would run during measurement.
    The seed's ticket e-mails go to the console backend's stdout: not onto the table."""
    with contextlib.redirect_stdout(io.StringIO()):
        command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")
    return subprocess.Popen(
        [PY, "manage.py", "db_worker", "--no-reload", "-v0"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=open(LOGS / "db_worker.log", "w"),  # noqa: SIM115
    )


def free_ports(count: int) -> list[int]:
    found = []
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    sys.exit("no free port in 8100-8199")


def daphne(env, ports):
    """A daphne process per port: the load is spread over them by the clients. The access log (stdout)
    is dropped; errors (stderr) go to bench/results/daphne-<port>.log, as the chat's did."""
    LOGS.mkdir(exist_ok=True)
    return [
        subprocess.Popen(
            [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "tend.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=open(LOGS / f"daphne-{port}.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        for port in ports
    ]


def uvicorn(env, port, count):
    """`uvicorn --workers N`: one port, the kernel spreads connections over the workers."""
    return subprocess.Popen(
        [PY, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--workers", str(count),
         "--no-access-log", "--log-level", "warning", "tend.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def gunicorn(env, port, count, app="tend.wsgi:application"):
    """`gunicorn -w N tend.wsgi:application`: production's HTTP server, sync workers on one port."""
    LOGS.mkdir(exist_ok=True)
    return subprocess.Popen(
        [PY, "-m", "gunicorn", "-w", str(count), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(LOGS / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
    )


def launch(server, env, counts):
    """The servers for every process count, started at once (starts overlap; a server waiting for
    its turn serves nothing and takes no CPU): [(counts it serves, processes, ports)], one entry in
    `ports` per server process. Daphne processes are independent, one port each, so one set at the
    most processes serves every count, N processes being its first N ports. uvicorn --workers N
    spreads one port over its workers: a server per count."""
    if server == "daphne":
        ports = free_ports(counts[-1])
        return [(counts, daphne(env, ports), ports)]
    if server in ("uvicorn", "gunicorn"):
        start = uvicorn if server == "uvicorn" else gunicorn
        return [([count], [start(env, port, count)], [port] * count)
                for count, port in zip(counts, free_ports(len(counts)), strict=True)]
    sys.exit(f"unknown server {server!r}: daphne, gunicorn or uvicorn")


def wait_ready(deployments):
    for port in {port for _counts, _procs, ports in deployments for port in ports}:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}{HELLO[1]}", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)


def stop(procs):
    for proc in procs:
        proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def stop_later(procs) -> threading.Thread:
    """Stop in the background: the servers shut down while the next ones start."""
    thread = threading.Thread(target=stop, args=(procs,))
    thread.start()
    return thread


def _ms(output: str, percentile: str) -> float | None:
    found = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s|m)\b", output)
    if not found:
        return None
    number, unit = found.groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 1)


def wrk(ports, path, seconds, headers, connections):
    """One wrk per port with `connections` per server process behind it, run together;
    requests/s summed, latencies from the first."""
    per_port = {port: ports.count(port) for port in dict.fromkeys(ports)}
    args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    runs = [
        subprocess.Popen(
            ["wrk", f"-t{workers}", f"-c{connections * workers}", f"-d{seconds}s", "--latency",
             *args, f"http://127.0.0.1:{port}{path}"],
            stdout=subprocess.PIPE, text=True,
        )
        for port, workers in per_port.items()
    ]
    outputs = [run.communicate()[0] for run in runs]
    rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) for out in outputs)
    errors = sum(
        int(n) for out in outputs
        for line in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors):.*", out)
        for n in re.findall(r"\d+", line)
    )
    first = outputs[0]
    return {"rps": round(rps, 1), "p50_ms": _ms(first, "50"), "p99_ms": _ms(first, "99"),
            "errors": errors}


def _latencies(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    return {"p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1)}


async def _post(port, path, body: dict, session: str) -> int:
    """One POST on its own connection, written and read by hand: httpx cost ~15 ms of CPU per
    request (7.5 s for a 500-member race) on the two cores the servers under test share."""
    form = urlencode(body).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: sessionid={session}; csrftoken={CSRF}\r\nX-CSRFToken: {CSRF}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(form)}\r\nConnection: close\r\n\r\n".encode() + form)
        status = int((await reader.readline()).split()[1])
        await reader.read()  # to the end: the server closes once the response is complete
        return status
    finally:
        writer.close()


async def _post_all(ports, path, bodies, sessions, concurrency):
    """POST each body with its session (and the CSRF pair) at most `concurrency` at once, spread
    over the ports; returns (elapsed seconds, status codes, latencies)."""
    gate = asyncio.Semaphore(concurrency)

    async def one(n):
        async with gate:
            began = time.monotonic()
            try:
                async with asyncio.timeout(120):
                    status = await _post(ports[n % len(ports)], path, bodies[n], sessions[n])
            except (OSError, ValueError, IndexError, TimeoutError):
                status = 0
            return status, time.monotonic() - began

    began = time.monotonic()
    results = await asyncio.gather(*(one(n) for n in range(len(bodies))))
    return time.monotonic() - began, [s for s, _t in results], [t for _s, t in results]


def registration_race(ports, members, seats):
    """`members` distinct signed-in members register for `seats` seats at the same moment."""
    race = command_json("bench_race", "setup", "--members", str(members), "--seats", str(seats))
    sessions = race["sessions"]
    # Each member has the event page open before the race, as one does to press its button: their
    # session and user are in the cache (the bench starts from an empty one). Not measured.
    event_path = race["path"].removesuffix("register/")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: httpx.get(
            f"http://127.0.0.1:{ports[n % len(ports)]}{event_path}",
            cookies={"sessionid": sessions[n]}, timeout=60), range(len(sessions))))
    elapsed, statuses, latencies = asyncio.run(
        _post_all(ports, race["path"], [{}] * len(sessions), sessions, len(sessions)))
    raced = time.monotonic()
    outcome = command_json("bench_race", "count")
    # The ticket e-mails are the worker's: how long after the race until all of them were sent.
    while outcome["tickets_sent"] < outcome["confirmed"] and time.monotonic() - raced < TICKETS_WAIT:
        time.sleep(0.2)
        outcome = command_json("bench_race", "count")
    mailed = time.monotonic() - raced
    errors = sum(status != 302 for status in statuses)
    exact = (outcome["confirmed"] == race["seats"] and errors == 0
             and outcome["confirmed"] + outcome["waitlisted"] == len(sessions)
             and outcome["members"] == len(sessions)
             and outcome["tickets_sent"] == outcome["confirmed"])
    return {"rps": round(len(sessions) / elapsed, 1), **_latencies(latencies), "errors": errors,
            "detail": f"{outcome['confirmed']} confirmed, {outcome['waitlisted']} waitlisted, "
                      f"{errors} errors, {outcome['tickets_sent']} tickets e-mailed "
                      f"{mailed:.1f} s after: {'exact' if exact else 'NOT EXACT'}",
            "exact": exact, "tickets_mailed_after_s": round(mailed, 1)}


def door_scans(ports, kind, count, connections):
    """Staff scan `count` fresh codes, `connections` at a time per process; each recorded once."""
    scan = command_json("bench_scans", "setup", kind, "--count", str(count))
    bodies = [{scan["field"]: code} for code in scan["codes"]]
    elapsed, statuses, latencies = asyncio.run(
        _post_all(ports, scan["path"], bodies, [scan["session"]] * len(bodies),
                  connections * len(ports)))
    recorded = command_json("bench_scans", "count", kind)["recorded"]
    errors = sum(status != 200 for status in statuses)
    return {"rps": round(len(bodies) / elapsed, 1), **_latencies(latencies), "errors": errors,
            "detail": f"{recorded} of {len(bodies)} recorded",
            "exact": recorded == len(bodies) and errors == 0}


def variants(paths, cookie):
    """(scenario, path, headers) for each page row after the ceiling."""
    for name, path in paths.items():
        yield name, path, {"Cookie": cookie} if name in SIGNED_IN else {}
        if name in CONTENT:
            yield f"{name} (uncached)", path, BYPASS


def warm_up(ports, paths, cookie):
    """One view of each page on each port after a start: the first render is not the page's cost.
    All at once (nothing is measured here): one after the other they took seconds."""
    urls = [(f"http://127.0.0.1:{port}{path}", headers)
            for _name, path, headers in variants(paths, cookie) for port in set(ports)]
    with ThreadPoolExecutor(len(urls)) as pool:
        list(pool.map(lambda url: httpx.get(url[0], headers=url[1], timeout=60), urls))


def run_config(server, ports, args, paths, cookie, write_scenarios):
    """All scenarios on running servers, one entry in `ports` per process; rows as dicts."""
    rows = []
    base = {"server": server, "processes": len(ports)}
    ceiling = wrk(ports, HELLO[1], args.seconds, {}, args.connections)
    rows.append({**base, "scenario": HELLO[0], "path": HELLO[1], **ceiling, "ratio": 1.0})
    for label, path, headers in variants(paths, cookie):
        result = wrk(ports, path, args.seconds, headers, args.connections)
        rows.append({**base, "scenario": label, "path": path, **result,
                     "ratio": round(result["rps"] / ceiling["rps"], 2)})
    if write_scenarios:
        rows.append({**base, "scenario": "registration race", "path": "register",
                     **registration_race(ports, args.race_members, args.race_seats)})
        for kind in SCANS:
            rows.append({**base, "scenario": f"{kind} scans", "path": "scan",
                         **door_scans(ports, kind, args.scans, args.connections)})
    return rows


def chat(args, counts, ports):
    """500 sockets in one room next to a minimal chat, on `ports` (daphne processes already running,
    the first N for the N-process rows) or, with None, on its own (ports 8200+). Returns (rows, error):
    when it fails, the page rows are still written."""
    quick = args.seconds < 5
    try:
        return run_chat_bench(
            database_url=args.database_url, redis_url=args.redis_url, processes=counts,
            seconds=args.seconds, drain=1 if quick else 2, ports=ports,
            # bench-quick: one fixed rate (and saturation) instead of two, a step less per scenario
            rates=(4,) if quick else (2, 4),
            seed_room=lambda: command_json("bench_chat_seed", "--users", "500")), ""
    except Exception as exc:  # noqa: BLE001 (the page rows are still written)
        print(f"chat bench failed: {exc!r}", file=sys.stderr)
        return [], repr(exc)


BARE = "bare Django hello"
FRAGMENTS_OFF = " (fragments off)"
# The peer's pages (bench/peer.py) and the Tend pages each is compared with.
PEER_PAIRS = {"peer home": ["home"], "peer blog post": ["care tip", "event page"],
              "peer breads listing": ["story index"]}


def serve_and_wait(procs, port, path):
    """Wait until `port` answers `path` (the process may still be importing)."""
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5).raise_for_status()
            return
        except httpx.HTTPError:
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError(f"the server for {path} exited") from None
            time.sleep(0.1)


def wsgi_references(args, env, counts, paths) -> list:
    """On production's WSGI server (gunicorn), for each process count: a bare Django hello (no
    middleware: what Django itself costs, bench/bare.py) and Tend's content pages with the page
    cache and fragments off (PAGE_CACHE_SECONDS=0: what rendering costs, and what each page costs
    once after a publish)."""
    rows = []
    content = {name: path for name, path in paths.items() if name in CONTENT}
    for count in counts:
        bare_port, render_port = free_ports(2)
        bare = gunicorn(env, bare_port, count, app="bench.bare:application")
        render = gunicorn({**env, "PAGE_CACHE_SECONDS": "0"}, render_port, count)
        try:
            serve_and_wait([bare], bare_port, HELLO[1])
            serve_and_wait([render], render_port, HELLO[1])
            warm_up([render_port], content, "")
            base = {"server": "gunicorn", "processes": count, "ratio": None}
            rows.append({**base, "scenario": BARE, "path": HELLO[1],
                         **wrk([bare_port] * count, HELLO[1], args.seconds, {}, args.connections)})
            for name, path in content.items():
                rows.append({**base, "scenario": name + FRAGMENTS_OFF, "path": path,
                             **wrk([render_port] * count, path, args.seconds, {}, args.connections)})
        finally:
            stop([bare, render])
    return rows


def peer(args, counts) -> list:
    """The Wagtail team's demo site on gunicorn with as many workers as Tend's processes, served as
    its docs serve it (SQLite, WSGI): its comparable pages. Set up once (bench/peer.py)."""
    peer_site.setup(log=lambda text: print(text, file=sys.stderr))
    out = []
    port = free_ports(1)[0]
    for count in counts:
        proc = peer_site.serve(port, count)
        try:
            serve_and_wait([proc], port, "/")
            for path in peer_site.PAGES.values():  # the first views make its image renditions
                httpx.get(f"http://127.0.0.1:{port}{path}", timeout=60).raise_for_status()
            for label, path in peer_site.PAGES.items():
                out.append({"server": "gunicorn", "processes": count, "scenario": label, "path": path,
                            **wrk([port] * count, path, args.seconds, {}, args.connections),
                            "ratio": None})
        finally:
            stop([proc])
    return out


def goals(rows, counts) -> list[dict]:
    """Issue 22's goals, each as the worst ratio over its pages and process counts in this run."""
    at = {(r["scenario"], r["server"], r["processes"]): r for r in rows}
    most = counts[-1]

    def rps(scenario, server, count):
        row = at.get((scenario, server, count))
        return row["rps"] if row and row["rps"] else None

    def worst(name, target, pairs, extra=""):
        ratios = [(mine / theirs, label) for label, mine, theirs in pairs if mine and theirs]
        if not ratios:
            return {"goal": name, "target": target, "value": None, "worst": "not measured", "met": False}
        value, label = min(ratios)
        return {"goal": name, "target": target, "value": round(value, 2), "worst": label + extra,
                "met": value >= target}

    out = [
        worst("rendering (fragments off) ÷ peer, gunicorn", 3.0, [
            (f"{mine} ÷ {theirs} ×{n}", rps(mine + FRAGMENTS_OFF, "gunicorn", n), rps(theirs, "gunicorn", n))
            for theirs, pages in PEER_PAIRS.items() for mine in pages for n in counts]),
        worst("uncached page ÷ Tend hello, gunicorn", 0.30, [
            (f"{name} ×{n}", rps(f"{name} (uncached)", "gunicorn", n), rps(HELLO[0], "gunicorn", n))
            for name in sorted(CONTENT) for n in counts]),
        worst("cached page ÷ bare Django hello, gunicorn", 0.5, [
            (f"{name} ×{n}", rps(name, "gunicorn", n), rps(BARE, "gunicorn", n))
            for name in sorted(CONTENT) for n in counts]),
        worst(f"signed-in page, gunicorn ÷ daphne ×{most}", 2.0, [
            (name, rps(name, "gunicorn", most), rps(name, "daphne", most)) for name in sorted(SIGNED_IN)]),
        worst(f"registration race, gunicorn ÷ daphne ×{most}", 2.0, [
            ("race", rps("registration race", "gunicorn", most), rps("registration race", "daphne", most))]),
        worst("two processes ÷ one, gunicorn (median over pages)", 1.7,
              [("median", scaling([r for r in rows if r["server"] == "gunicorn"]).get("gunicorn"), 1)]),
    ]
    slow = [(r["p99_ms"], f"{r['scenario']} ×{r['processes']}") for r in rows
            if r["server"] == "gunicorn" and r["scenario"] in SIGNED_IN]
    if slow:
        p99, label = max(slow)
        out.append({"goal": "signed-in page p99 ms, gunicorn, 16 conn/process", "target": 100,
                    "value": p99, "worst": label, "met": p99 is not None and p99 < 100})
    race = at.get(("registration race", "gunicorn", most))
    out.append({"goal": "registration race exact, gunicorn", "target": "exact", "value": None,
                "worst": race["detail"] if race else "not measured", "met": bool(race and race["exact"])})
    return out


def scaling(rows) -> dict:
    """Per server: requests/s on the most processes ÷ on one, per page scenario (median)."""
    out = {}
    for server in dict.fromkeys(r["server"] for r in rows):
        by = {}
        for r in rows:
            if r["server"] == server and r.get("ratio") is not None:
                by.setdefault(r["scenario"], {})[r["processes"]] = r["rps"]
        ratios = [v[max(v)] / v[1] for v in by.values() if 1 in v and len(v) > 1 and v[1]]
        if ratios:
            out[server] = round(statistics.median(ratios), 2)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--processes", default="1,2")
    # gunicorn: production's HTTP; daphne: the reference (and the chat's server); uvicorn on request.
    parser.add_argument("--servers", default="daphne,gunicorn")
    parser.add_argument("--connections", type=int, default=16, help="per server process")
    parser.add_argument("--race-members", type=int, default=500)
    parser.add_argument("--race-seats", type=int, default=50)
    parser.add_argument("--scans", type=int, default=300, help="codes per scan kind")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--note", default="", help="stored with the results (e.g. 'before fix')")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    began = time.monotonic()
    phases = {}  # seconds per phase: where `make bench-quick`'s time goes

    def phase(name):
        phases[name] = round(time.monotonic() - began - sum(phases.values()), 1)

    env = env_for(args)
    counts = sorted(int(n) for n in args.processes.split(","))
    servers = args.servers.split(",")
    setup_django(env)
    # Before any server starts: WhiteNoise lists the static files when the application loads.
    command("collectstatic", "--noinput", "-v0")
    rows, chat_rows, chat_error = [], [], ""
    launched = {}  # server -> its deployments (counts, processes, ports)
    worker = None
    stopping = None  # the previous servers, shutting down in the background
    try:
        # The first servers start while the data is prepared here: they spend seconds of CPU importing
        # Django and Wagtail, this process's work takes the other core, and both are done before
        # anything is measured (the servers open no connection before their first request).
        launched[servers[0]] = launch(servers[0], env, counts)
        seeded = prepare(args)
        worker = task_worker(env)
        phase("prepare (migrate, seed, collectstatic)")
        paths = command_json("bench_paths")
        queries = command_json("bench_queries", *paths.values())
        cookie = command("bench_session", "member@tend.example").split()[-1]
        phase("paths, query counts, session")
        for server in servers:
            if server not in launched:
                launched[server] = launch(server, env, counts)
            wait_ready(launched[server])
            for served, procs, ports in launched[server]:
                warm_up(ports, paths, cookie)
                if stopping:
                    stopping.join()  # gone before anything is measured
                for count in served:
                    # Writes (race, scans) once per server, on the most processes: the page rows
                    # carry the scaling comparison, and each race needs a fresh event.
                    rows += run_config(server, ports[:count], args, paths, cookie, count == counts[-1])
                    phase(f"{server} x{count}")
                if server == "daphne":  # the chat's servers too: a start and a stop fewer
                    chat_rows, chat_error = chat(args, counts, ports)
                    phase("chat")
                stopping = stop_later(procs)
    finally:
        if stopping:
            stopping.join()
        stop([proc for deployments in launched.values() for _counts, procs, _ports in deployments
              for proc in procs if proc.poll() is None] + ([worker] if worker else []))
    if "daphne" not in servers:
        chat_rows, chat_error = chat(args, counts, None)
        phase("chat")
    if "gunicorn" in servers:
        rows += wsgi_references(args, env, counts, paths)
        phase("bare hello, fragments off (gunicorn)")
    try:
        peer_rows = peer(args, counts)
    except Exception as exc:  # noqa: BLE001 (Tend's rows are still written)
        print(f"peer bench failed: {exc!r}", file=sys.stderr)
        peer_rows = []
    phase("peer (bakerydemo)")
    for row in rows:
        if row["scenario"] != BARE:
            row["queries"] = queries.get(row["path"])
    scale = scaling(rows)
    rows += peer_rows
    goals_met = goals(rows, counts)
    print_table(rows, scale)
    print_goals(goals_met)
    if chat_rows:
        print_chat_table(chat_rows)
    result = {"when": datetime.now().isoformat(timespec="seconds"), "seconds": args.seconds,
              "connections": args.connections,
              "scale": args.scale, "seed_seconds": round(seeded, 1), "note": args.note,
              "total_seconds": round(time.monotonic() - began), "scaling": scale,
              "phases": phases, "cpus": os.cpu_count(), "load_average": os.getloadavg(),
              "goals": goals_met, "rows": rows,
              "chat": chat_rows, "chat_error": chat_error}
    out = ROOT / "bench" / "results" / f"{datetime.now():%Y-%m-%d-%H%M}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print("\n" + "; ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()))
    print(f"seed_demo --scale {args.scale}: {seeded:.0f} s; whole run {result['total_seconds']} s; "
          f"written {out.relative_to(ROOT)}")
    if chat_error:
        sys.exit(1)


def print_table(rows, scale):
    head = (f"{'scenario':<28}{'server':>8}{'proc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
            f"{'queries':>13}{'÷hello':>8}{'errors':>7}")
    print(head)
    print("-" * len(head))
    for r in rows:
        queries = r.get("queries") or {}
        q = f"{queries.get('anonymous', '-')}/{queries.get('signed_in', '-')}" if queries else ""
        ratio = f"{r['ratio']:.2f}" if r.get("ratio") is not None else ""
        print(f"{r['scenario']:<28}{r['server']:>8}{r['processes']:>5}{r['rps']:>9.1f}"
              f"{r['p50_ms'] or 0:>9.1f}{r['p99_ms'] or 0:>9.1f}{q:>13}{ratio:>8}{r['errors']:>7}"
              + (f"  {r['detail']}" if r.get("detail") else ""))
    for server, ratio in scale.items():
        print(f"{server}: most processes ÷ one = {ratio:.2f} (median over pages)")


def print_goals(rows):
    print(f"\n{'goal (issue 22)':<52}{'target':>8}{'worst':>8}  ")
    for g in rows:
        value = "" if g["value"] is None else f"{g['value']:g}"
        print(f"{g['goal']:<52}{g['target']!s:>8}{value:>8}  {'met' if g['met'] else 'MISSED':<7}"
              f"{g['worst']}")


if __name__ == "__main__":
    main()
