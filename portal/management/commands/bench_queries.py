"""For `make bench`: queries per request for each path, counted with the test client."""

import json

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import User


class Command(BaseCommand):
    help = "Print a JSON object path -> queries for one signed-in GET of each path."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")

    def handle(self, *args, paths, **options):
        client = Client()
        client.force_login(User.objects.get(email="member@tend.example"))
        counts = {}
        for path in paths:
            client.get(path)  # warm caches, as a running server would be
            with CaptureQueriesContext(connection) as ctx:
                client.get(path)
            counts[path] = len(ctx.captured_queries)
        self.stdout.write(json.dumps(counts))
