"""For `make bench`: scans at the door. `setup KIND` prepares N fresh codes and prints the scan form's
path, its field, a staff session and the codes; `count KIND` prints how many scans were recorded.
Each kind is one entry in SCANS (coupon scans join here as a second kind)."""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from bench.management.commands.bench_session import session_key_for
from content.models import StorePage
from events.models import CheckIn, EventIndexPage, EventPage, Registration, new_ticket_code
from portal.models import User

STAFF = "staff@tend.example"  # store staff of the xinyi store in the demo data
TICKET_EVENT = "bench-checkin"


def _ticket_event() -> EventPage:
    start = timezone.now() - timedelta(minutes=30)
    event = EventPage.objects.filter(slug=TICKET_EVENT).first()
    if event is None:
        event = EventIndexPage.objects.first().add_child(instance=EventPage(
            title="Bench check-in 報到測試", slug=TICKET_EVENT,
            store=StorePage.objects.get(slug="xinyi"), audience=EventPage.Audience.MEMBERS,
            capacity=10_000, start=start, end=start + timedelta(hours=3),
            registration_opens=start - timedelta(days=7), registration_closes=start,
            cancellation_deadline=start - timedelta(days=1)))
    return event


def setup_tickets(count: int) -> dict:
    event = _ticket_event()
    Registration.objects.filter(event=event).delete()  # and their check-ins
    members = User.objects.filter(email__startswith="bench-").order_by("pk")[:count]
    registrations = Registration.objects.bulk_create(
        Registration(event=event, member=member, status=Registration.Status.CONFIRMED,
                     ticket_code=new_ticket_code(), confirmed_at=timezone.now())
        for member in members
    )
    return {"path": f"/checkin/{event.pk}/", "field": "code",
            "codes": [r.ticket_code for r in registrations]}


def count_tickets() -> int:
    return CheckIn.objects.filter(registration__event__slug=TICKET_EVENT).count()


# kind -> (setup(count) -> {"path", "field", "codes"}, count() -> scans recorded)
SCANS = {"ticket": (setup_tickets, count_tickets)}


class Command(BaseCommand):
    help = "Prepare (setup) or read (count) a benchmark scan scenario."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["setup", "count"])
        parser.add_argument("kind", choices=sorted(SCANS))
        parser.add_argument("--count", type=int, default=300)

    def handle(self, *args, action, kind, count, **options):
        setup, counter = SCANS[kind]
        if action == "setup":
            out = {**setup(count), "session": session_key_for(User.objects.get(email=STAFF))}
        else:
            out = {"recorded": counter()}
        self.stdout.write(json.dumps(out))
