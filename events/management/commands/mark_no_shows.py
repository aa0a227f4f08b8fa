from django.core.management.base import BaseCommand
from django.utils import timezone

from events import services
from events.models import EventPage, Registration


class Command(BaseCommand):
    help = "Mark confirmed members who never checked in as no-shows, for every event that has ended."

    def handle(self, *args, **options):
        ended = EventPage.objects.filter(
            end__lte=timezone.now(), registrations__status=Registration.Status.CONFIRMED
        ).distinct()
        total = sum(services.mark_no_shows(event=event) for event in ended)
        self.stdout.write(f"{total} no-show{'' if total == 1 else 's'} marked")
