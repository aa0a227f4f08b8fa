"""Load demo data. Each app may ship a `demo` module with `seed(stdout, scale)` (and a `STEP` line to
show); they run in INSTALLED_APPS order, so stores exist before the events held in them. Safe to run
again.

Quiet by design, since `make run` calls it before printing the address and the logins: one line per
step and a progress bar for the long loops of --scale. Wagtail's page log lines and the ticket e-mails
of the demo registrations are held back; -v 2 shows each thing created."""

import logging
import time
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from portal.progress import StepOutput

APPS = ("portal", "content", "community", "events")
# Loggers that write a line per page created, edited or published.
QUIET_LOGGERS = ("wagtail",)


@contextmanager
def quiet():
    """Page log lines and e-mails off: demo accounts have no mailbox, and a console e-mail with its
    calendar attachment would fill the screen."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Create or complete the demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=0,
            help="Also generate a large data set for benchmarks (0 = demo content only).",
        )

    def handle(self, *args, scale, verbosity=1, **options):
        modules = []
        for config in apps.get_app_configs():
            name = f"{config.name}.demo"
            if config.name.startswith(APPS) and find_spec(name) is not None:
                modules.append(import_module(name))
        out = StepOutput(self.stdout, verbose=verbosity >= 2)
        started = time.monotonic()
        self.stdout.write("Loading the demo data" + (f" at scale {scale}" if scale else "") + "…")
        with quiet():
            for number, module in enumerate(modules, 1):
                label = getattr(module, "STEP", module.__name__.split(".")[0])
                self.stdout.write(f"  {number}/{len(modules)} {label}")
                with transaction.atomic():
                    module.seed(out, scale=scale)
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready ({time.monotonic() - started:.1f} s)."))
