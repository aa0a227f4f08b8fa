"""What one request costs, in this process, with no load generator on the cores: `make bench` says how
fast, this says where the time goes. For each page of `manage.py bench_paths` (or the paths given):
CPU ms of this process per request (median of --n), wall ms, SQL queries and Redis round trips,
through production's WSGI application (as `tend/wsgi.py` builds it) and middleware. --profile prints
cProfile's top functions for each page.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/cost.py [--uncached] [--fragments-off] [path ...]

--uncached sends bench's page-cache bypass header (TEND_BENCH), --fragments-off sets
PAGE_CACHE_SECONDS=0 (fragments and page cache off: what rendering costs). The database must hold
`seed_demo` (as `make bench` leaves it); pages are read once before measuring.

--writes measures `make bench`'s POSTs instead, each by a fresh member or on a fresh code, set up by
the same commands: a registration for the race's event (`bench_race setup`: each member has read the
event page first, as in the race; 10 seats, so most join the waitlist, as 450 of the race's 500 do)
and a ticket scan at the door (`bench_scans setup ticket`). Ticket e-mails are queued on the task
table, as with production's worker (none runs here). This re-creates the race's event.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(fragments_off: bool):
    os.environ.update({
        "DJANGO_DEBUG": "false", "TEND_BENCH": "true", "LOG_LEVEL": "WARNING",
        "DJANGO_STATIC_MANIFEST": "true", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    })
    if fragments_off:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Counter:
    """SQL queries (a connection wrapper) and Redis round trips (each command or pipeline sent)."""

    def __init__(self):
        from redis.connection import AbstractConnection

        self.queries = self.redis = 0
        sent = AbstractConnection.send_packed_command

        def counted(conn, *args, **kwargs):
            self.redis += 1
            return sent(conn, *args, **kwargs)

        AbstractConnection.send_packed_command = counted

    def query(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


def request(app, path, headers, form: bytes | None = None, expect: str = "200"):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path.split("?")[0], "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    if form is not None:
        environ.update({"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(form),
                        "CONTENT_TYPE": "application/x-www-form-urlencoded",
                        "CONTENT_LENGTH": str(len(form))})
    status = []
    body = b"".join(app(environ, lambda s, h, exc_info=None: status.append(s)))
    if not status[0].startswith(expect):
        raise SystemExit(f"{path}: {status[0]}")
    return body


CSRF = "benchbenchbenchbenchbenchbench01"  # as bench/run.py's POSTs: cookie and header


def writes(app, n: int) -> dict:
    """name -> (expected status, [(path, headers, form)]): n + 3 fresh POSTs each, as `make bench`
    sends them (the first 3 warm up)."""
    import json
    from urllib.parse import urlencode

    from django.core.management import call_command

    def command(*argv) -> dict:
        out = io.StringIO()
        call_command(*argv, stdout=out)
        return json.loads(out.getvalue())

    def headers(session):
        return {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF}

    race = command("bench_race", "setup", "--members", str(n + 3), "--seats", "10")
    event_page = race["path"].removesuffix("register/")
    for session in race["sessions"]:
        request(app, event_page, {"Cookie": f"sessionid={session}"})
    scan = command("bench_scans", "setup", "ticket", "--count", str(n + 3))
    return {
        "registration (fresh member)": ("302", [(race["path"], headers(session), b"")
                                                for session in race["sessions"]]),
        "ticket scan (fresh code)": ("200", [(scan["path"], headers(scan["session"]),
                                              urlencode({scan["field"]: code}).encode())
                                             for code in scan["codes"]]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("paths", nargs="*", help="default: every page of bench_paths")
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--uncached", action="store_true")
    parser.add_argument("--fragments-off", action="store_true")
    parser.add_argument("--as", dest="email", default="member@tend.example",
                        help="who reads the signed-in pages")
    parser.add_argument("--signed-in", action="store_true", help="read the paths given signed in")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--writes", action="store_true",
                        help="the race's registrations and the door's ticket scans instead of pages")
    args = parser.parse_args()
    if args.writes:
        # As production and `make bench`: ticket e-mails go on the task table for the worker.
        os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    setup(args.fragments_off)

    import json

    from django.core.management import call_command
    from django.core.servers.basehttp import get_internal_wsgi_application
    from django.db import connection

    # settings.WSGI_APPLICATION (tend.wsgi), loaded by name: only the project imports the project.
    application = get_internal_wsgi_application()

    if args.writes:
        runs = writes(application, args.n)
    else:
        out = io.StringIO()
        call_command("bench_paths", stdout=out)
        scenarios = json.loads(out.getvalue())
        if args.paths:
            scenarios = {path: path for path in args.paths}
        out = io.StringIO()
        call_command("bench_session", args.email, stdout=out)
        cookie = out.getvalue().split()[-1]
        runs = {}
        for name, path in scenarios.items():
            headers = {"Cookie": cookie} if "signed in" in name or args.signed_in else {}
            if args.uncached:
                headers["X-Tend-Bench-Bypass"] = "1"
            runs[name] = ("200", [(path, headers, None)] * (args.n + 3))
    counter = Counter()
    print(f"{'page':<30}{'cpu ms':>8}{'wall ms':>9}{'queries':>9}{'redis':>7}")
    for name, (expect, sent) in runs.items():
        for path, headers, form in sent[:3]:
            request(application, path, headers, form, expect)  # warm: the first fill the caches
        counter.queries = counter.redis = 0
        cpu, wall = [], []
        with connection.execute_wrapper(counter.query):
            profile = cProfile.Profile() if args.profile else None
            for path, headers, form in sent[3:]:
                c0, w0 = time.process_time(), time.perf_counter()
                if profile:
                    profile.enable()
                request(application, path, headers, form, expect)
                if profile:
                    profile.disable()
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
        print(f"{name:<30}{statistics.median(cpu) * 1000:>8.2f}{statistics.median(wall) * 1000:>9.2f}"
              f"{counter.queries / args.n:>9.1f}{counter.redis / args.n:>7.1f}")
        if profile:
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
