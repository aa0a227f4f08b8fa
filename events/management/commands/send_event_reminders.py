from django.core.management.base import BaseCommand

from events import services


class Command(BaseCommand):
    help = "Remind confirmed members of events starting within 24 hours (each once). Run every 15 minutes."

    def handle(self, *args, **options):
        sent = services.send_event_reminders()
        self.stdout.write(f"{sent} reminders sent")
