"""`make bench`: a production-like stack on this machine, real load, one printed table.

Starts daphne processes (DEBUG off, PostgreSQL and Redis from DATABASE_URL/REDIS_URL, hashed static
files), loads `seed_demo --scale N` once, then measures each HTTP scenario with wrk against one and
two processes, next to a hello-world view on the same servers (the ceiling). Queries per request are
counted in a separate pass. Results: a table on stdout and bench/results/<date>.json.
Load goes only to 127.0.0.1.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tend_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"

# name, path, signed in
PAGES = [
    ("hello (ceiling)", "/bench/hello", False),
    ("home", "/", False),
    ("store index", "/stores/", False),
    ("healthz", "/healthz", False),
    ("/me/ signed in", "/me/", True),
]


def env_for(args) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_STATIC_MANIFEST": "true",
        "TEND_BENCH": "true",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    }


def manage(env, *argv, capture=False):
    return subprocess.run(
        [PY, "manage.py", *argv], cwd=ROOT, env=env, check=True, text=True,
        capture_output=capture,
    )


def prepare(args, env):
    name = args.database_url.rsplit("/", 1)[1]
    # psql quotes the name itself (:'name'), so a URL cannot inject SQL; -c would not interpolate.
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tA", "-v", f"name={name}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'name';\n",
        capture_output=True, text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--scale", str(args.scale))
    manage(env, "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_servers(env, count):
    procs, ports = [], []
    for _ in range(count):
        port = free_port()
        procs.append(subprocess.Popen(
            [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "portal.asgi:application"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        ports.append(port)
    for port in ports:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    return procs, ports


def stop_servers(procs):
    for proc in procs:
        proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ms(output: str, percentile: str) -> float | None:
    found = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s|m)\b", output)
    if not found:
        return None
    number, unit = found.groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 1)


def wrk(ports, path, seconds, cookie):
    """One wrk per server process, run together; requests/s summed, latencies from the first."""
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    runs = [
        subprocess.Popen(
            ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", *header,
             f"http://127.0.0.1:{port}{path}"],
            stdout=subprocess.PIPE, text=True,
        )
        for port in ports
    ]
    outputs = [run.communicate()[0] for run in runs]
    rps = sum(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) for out in outputs)
    errors = sum(
        int(n) for out in outputs for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out)
    )
    first = outputs[0]
    return {"rps": round(rps, 1), "p50_ms": _ms(first, "50"), "p99_ms": _ms(first, "99"),
            "non_2xx": errors}


def count_queries(env):
    out = manage(env, "bench_queries", *[p for _n, p, _s in PAGES], capture=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def session_cookie(env) -> str:
    out = manage(env, "bench_session", "member@tend.example", capture=True).stdout
    return out.strip().splitlines()[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    env = env_for(args)
    prepare(args, env)
    queries = count_queries(env)
    cookie = session_cookie(env)
    rows = []
    for count in [int(n) for n in args.processes.split(",")]:
        procs, ports = start_servers(env, count)
        try:
            ceiling = None
            for name, path, signed_in in PAGES:
                result = wrk(ports, path, args.seconds, cookie if signed_in else "")
                ceiling = ceiling or result["rps"]
                rows.append({"scenario": name, "path": path, "processes": count,
                             "queries": queries.get(path), **result,
                             "ratio_to_hello": round(result["rps"] / ceiling, 2)})
        finally:
            stop_servers(procs)
    print_table(rows)
    out = ROOT / "bench" / "results" / f"{datetime.now():%Y-%m-%d}.json"
    out.write_text(json.dumps({"when": datetime.now().isoformat(), "seconds": args.seconds,
                               "rows": rows}, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")


def print_table(rows):
    head = f"{'scenario':<22}{'proc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}" \
           f"{'queries':>9}{'÷hello':>8}{'non2xx':>8}"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['scenario']:<22}{r['processes']:>5}{r['rps']:>10.1f}{r['p50_ms'] or 0:>9.1f}"
              f"{r['p99_ms'] or 0:>9.1f}{str(r['queries']):>9}{r['ratio_to_hello']:>8.2f}"
              f"{r['non_2xx']:>8}")


if __name__ == "__main__":
    main()
