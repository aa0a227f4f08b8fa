"""For `make bench`: the registration race. `setup` (re)creates an empty event with N seats and prints
one signed-in session per racing member; `count` prints the outcome as the database has it, with the
ticket e-mails the task worker has sent."""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bench.management.commands.bench_session import session_key_for
from content.models import StorePage
from events.models import EventIndexPage, EventPage, Registration
from portal.models import User

SLUG = "bench-race"


def race_event(seats: int) -> None:
    start = timezone.now() + timedelta(days=7)
    window = {"capacity": seats, "start": start, "end": start + timedelta(hours=2),
              "registration_opens": timezone.now() - timedelta(days=1),
              "registration_closes": start - timedelta(hours=2),
              "cancellation_deadline": start - timedelta(days=1)}
    event = EventPage.objects.filter(slug=SLUG).first()
    if event is None:
        EventIndexPage.objects.first().add_child(instance=EventPage(
            title="Bench race 搶位測試", slug=SLUG, store=StorePage.objects.first(),
            audience=EventPage.Audience.MEMBERS, **window))
        return
    Registration.objects.filter(event=event).delete()
    EventPage.objects.filter(pk=event.pk).update(**window)


class Command(BaseCommand):
    help = "Prepare (setup) or read (count) the benchmark's registration race."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "count"])
        parser.add_argument("--members", type=int, default=500)
        parser.add_argument("--seats", type=int, default=50)

    def handle(self, *args, action, members, seats, **options):
        if action == "setup":
            race_event(seats)
            racers = User.objects.filter(email__startswith="bench-").order_by("pk")[:members]
            out = {"path": f"/events/{SLUG}/register/", "seats": seats,
                   "sessions": [session_key_for(user) for user in racers]}
        else:
            registrations = Registration.objects.filter(event__slug=SLUG)
            out = {status: registrations.filter(status=status).count()
                   for status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)}
            out["members"] = registrations.values("member").distinct().count()
            out["tickets_sent"] = DBTaskResult.objects.successful().filter(
                task_path="events.tasks.send_ticket_email",
                args_kwargs__kwargs__registration_id__in=list(registrations.values_list("pk", flat=True)),
            ).count()
        self.stdout.write(json.dumps(out))
