"""For `bench/chat.py`: N members with sessions and one empty room; prints them as one JSON line."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from community.chat.models import Message, ReadMarker, Room
from portal.demo import seed_members
from portal.models import User

ROOM_SLUG = "bench-room"


class Command(BaseCommand):
    help = "Create N bench members and sessions, empty the bench room, print {room, room_id, cookies}."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=500)

    def handle(self, *args, users, **options):
        seed_members(self.stdout if options["verbosity"] > 1 else _Quiet(), users)
        room, _created = Room.objects.get_or_create(
            slug=ROOM_SLUG, defaults={"kind": Room.Kind.LOUNGE, "title": "Bench room"}
        )
        # Every run starts from an empty room, so joins carry the same history each time.
        Message.objects.filter(room=room).delete()
        ReadMarker.objects.filter(room=room).delete()
        Room.objects.filter(pk=room.pk).update(last_seq=0)
        people = list(User.objects.filter(email__startswith="bench-").order_by("pk")[:users])
        store = SessionStore()
        expire = timezone.now() + timedelta(days=1)
        sessions = [
            Session(
                session_key=store._get_new_session_key(),
                session_data=store.encode({
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }),
                expire_date=expire,
            )
            for user in people
        ]
        Session.objects.bulk_create(sessions)
        cookies = [f"{settings.SESSION_COOKIE_NAME}={s.session_key}" for s in sessions]
        self.stdout.write(json.dumps({"room": ROOM_SLUG, "room_id": room.pk, "cookies": cookies}))


class _Quiet:
    def write(self, *args, **kwargs):
        pass
