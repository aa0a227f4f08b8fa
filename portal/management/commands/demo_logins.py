from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins, one per role."

    def handle(self, *args, **options):
        self.stdout.write(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, _name, groups, superuser in DEMO_USERS:
            role = "superuser" if superuser else ", ".join(groups)
            self.stdout.write(f"    {role:<22} {email}")
