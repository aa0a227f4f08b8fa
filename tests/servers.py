"""Daphne serving `tend.asgi` in child processes on the test database: the browser tests' server and
the chat scale-out tests' two. pytest-django's live_server is WSGI only, so WebSockets would fail there.

Plain functions, no pytest: a fixture wraps `serving()` in its own scope.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

START_TIMEOUT = 30  # seconds for every process to listen; Django and Wagtail load in each child


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database, as the children's settings read it (DATABASE_URL)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def server_env(**variables: str) -> dict[str, str]:
    """This process's environment for a child on the test database, DEBUG off, serving 127.0.0.1."""
    return {**os.environ, "DATABASE_URL": database_url(), "DJANGO_DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost", **variables}


@contextmanager
def serving(ports: list[int], env: dict[str, str], logs: Path) -> Iterator[dict[int, subprocess.Popen]]:
    """One daphne per port, each logging to `logs`/daphne-<port>.log; yields {port: process} once all
    listen, and stops them afterwards (a test may kill one itself)."""
    with ExitStack() as stack:
        procs = {}
        for port in ports:
            log = stack.enter_context(open(logs / f"daphne-{port}.log", "w"))  # noqa: SIM115
            procs[port] = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                 "tend.asgi:application"],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
            )
            stack.callback(_stop, procs[port])
        deadline = time.monotonic() + START_TIMEOUT
        for port, proc in procs.items():
            _wait_listening(port, proc, deadline, logs)
        yield procs


def _wait_listening(port: int, proc: subprocess.Popen, deadline: float, logs: Path) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"daphne on {port} did not start: see {logs}/daphne-{port}.log") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
