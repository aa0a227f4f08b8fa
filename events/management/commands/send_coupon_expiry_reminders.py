from django.core.management.base import BaseCommand

from events.rewards import services as reward_services


class Command(BaseCommand):
    help = "Tell members about coupons and cards expiring within 7 days (each once). Run hourly or daily."

    def handle(self, *args, **options):
        sent = reward_services.send_coupon_expiry_reminders()
        self.stdout.write(f"{sent} expiry reminders sent")
