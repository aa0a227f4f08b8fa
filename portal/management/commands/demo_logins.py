"""Print the demo logins, one per role. `make run` starts it beside the server with --port: it waits
until the server listens, then prints the address and the logins after the server's startup lines,
where they stay on screen."""

import os
import socket
import time

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, DEMO_USERS


def listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Command(BaseCommand):
    help = "Print the demo logins, one per role (with --port: once the server listens there)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, help="Wait until a server listens on this port.")
        parser.add_argument("--server-pid", type=int,
                            help="The server's process: give up without a word if it stops.")
        parser.add_argument("--timeout", type=float, default=120.0)

    def handle(self, *args, host, port, server_pid, timeout, **options):
        if port is not None:
            deadline = time.monotonic() + timeout
            while not listening(host, port):
                if time.monotonic() > deadline or not alive(server_pid):
                    return
                time.sleep(0.2)
            # The server writes its last startup line as it starts listening: let it finish, and
            # make sure it is ours (another server on the port makes ours exit at once).
            time.sleep(0.5)
            if not alive(server_pid):
                return
        self.stdout.write("")
        if port is not None:
            self.stdout.write(self.style.SUCCESS(f"  Tend is running at http://{host}:{port}/")
                              + "  (Ctrl-C stops it)")
        self.stdout.write(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, groups, superuser in DEMO_USERS:
            role = "superuser" if superuser else ", ".join(groups)
            self.stdout.write(f"    {role:<22} {email}")
        self.stdout.write("")
