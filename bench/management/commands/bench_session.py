"""For `make bench`: print a session cookie for a demo user, so wrk can load signed-in pages."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand

from portal.models import User


def session_key_for(user: User) -> str:
    """A signed-in session as the login view would store it (the benchmarks' clients send it)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Command(BaseCommand):
    help = "Create a session for the given e-mail and print 'sessionid=<key>'."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        key = session_key_for(User.objects.get(email=email))
        self.stdout.write(f"{settings.SESSION_COOKIE_NAME}={key}")
