"""For `make bench`: queries per request for each path, counted with the test client."""

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import User


def _count(client, path) -> int:
    # Past the anonymous page cache (TEND_BENCH only): the cost of rendering the page.
    headers = {"X-Tend-Bench-Bypass": "1"}
    client.get(path, headers=headers)  # warm caches, as a running server would be
    with CaptureQueriesContext(connection) as ctx:
        client.get(path, headers=headers)
    return len(ctx.captured_queries)


class Command(BaseCommand):
    help = "Print a JSON object path -> {anonymous, signed_in} queries for one GET of each path."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        anonymous, member = Client(), Client()
        member.force_login(User.objects.get(email="member@tend.example"))
        counts = {path: {"anonymous": _count(anonymous, path), "signed_in": _count(member, path)}
                  for path in paths}
        self.stdout.write(json.dumps(counts))
