"""Load demo data. Each app may ship a `demo` module with `seed(stdout, scale)`; they run in
INSTALLED_APPS order, so stores exist before the events held in them. Safe to run again."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create or complete the demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0,
            help="Also generate a large data set for benchmarks (0 = demo content only).",
        )

    def handle(self, *args, scale, **options):
        for config in apps.get_app_configs():
            name = f"{config.name}.demo"
            if not config.name.startswith(("portal", "content", "community", "events")):
                continue
            if find_spec(name) is None:
                continue
            self.stdout.write(f"Seeding {config.label}…")
            with transaction.atomic():
                import_module(name).seed(self.stdout, scale=scale)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
