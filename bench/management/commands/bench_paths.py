"""For `make bench`: the path of each benchmarked page in the seeded large set, as JSON."""

import json

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone


def _model(label):
    # Looked up by label: bench tooling spans the apps without portal importing them.
    return apps.get_model(label)


class Command(BaseCommand):
    help = "Print a JSON object scenario -> path for the pages `make bench` loads."

    def handle(self, *args, **options):
        topic = _model("community.Topic").objects.filter(title="Bench topic 0").first()
        events = _model("events.EventPage").objects.live().filter(slug__startswith="bench-event-")
        future = events.order_by("start").filter(start__gte=timezone.now()).first()
        paths = {
            "home": "/",
            "care tip": _model("content.CareTipPage").objects.live().order_by("-pk").first().url,
            "story index": _model("content.CaseStudyIndexPage").objects.live().first().url,
            "topic, 20 posts, signed in": topic.get_absolute_url() if topic else None,
            "topic list, signed in": "/community/members/",
            "event page": future.url if future else None,
            "/me/, signed in": "/me/",
        }
        self.stdout.write(json.dumps({name: path for name, path in paths.items() if path}))

