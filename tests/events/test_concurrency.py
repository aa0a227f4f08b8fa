"""No overbooking when many members register at once through the real endpoint.

Requests run in threads; each thread has its own database connection, so the database (row lock on
PostgreSQL, IMMEDIATE write transactions on SQLite) is what keeps the count exact. The control takes that
protection out and shows the same test then fails, so it is known to be able to.
"""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import timezone

from events import services
from events.models import EventPage, Registration
from portal import roles
from portal.models import User

REQUESTS = 200
SEATS = 50
THREADS = 16


def _members(n: int) -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"racer{i}@example.com", password="!", display_name=f"Racer {i}") for i in range(n)
    )
    group, _created = Group.objects.get_or_create(name=roles.MEMBERS)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    return users


def _gate_after_count(monkeypatch):
    """Hold each request after it counted the seats until every thread has counted too.

    This forces the worst interleaving. With the lock, only one request at a time gets that far, the
    gate times out once and then stays open; without it, whole waves of requests see the same count.
    """
    count = services._taken_seats
    gate = threading.Barrier(THREADS, timeout=2)

    def gated(event):
        taken = count(event)
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            pass
        return taken

    monkeypatch.setattr(services, "_taken_seats", gated)


def _race(event: EventPage) -> tuple[int, int, int]:
    clients = []
    for user in _members(REQUESTS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/events/{event.slug}/register/"
    errors = []
    barrier = threading.Barrier(THREADS)

    def worker(batch):
        try:
            barrier.wait()
            for client in batch:
                try:
                    response = client.post(url)
                    if response.status_code != 302:
                        errors.append(response.status_code)
                except Exception as exc:  # any failure counts as an error
                    errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(clients[i::THREADS],)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    regs = Registration.objects.filter(event=event)
    confirmed = regs.filter(status=Registration.Status.CONFIRMED).count()
    waitlisted = regs.filter(status=Registration.Status.WAITLISTED).count()
    return confirmed, waitlisted, len(errors)


@pytest.fixture
def race_event(event_index, store):
    now = timezone.now()
    return event_index.add_child(
        instance=EventPage(
            title="Race day", slug="race-day", store=store, capacity=SEATS,
            start=now + timedelta(days=2), end=now + timedelta(days=2, hours=2),
            registration_opens=now - timedelta(days=1), registration_closes=now + timedelta(days=1),
            cancellation_deadline=now + timedelta(days=1),
        )
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook(race_event, monkeypatch, mailoutbox):
    _gate_after_count(monkeypatch)
    assert _race(race_event) == (SEATS, REQUESTS - SEATS, 0)
    assert len(mailoutbox) == SEATS


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_same_race_fails(race_event, monkeypatch):
    _gate_after_count(monkeypatch)
    if connection.vendor == "sqlite":
        # SQLite's protection is the IMMEDIATE write transaction: deferred ones read stale counts.
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    else:
        monkeypatch.setattr(
            services, "_lock_event",
            lambda event_id: EventPage.objects.select_related("store").get(pk=event_id),
        )
    confirmed, waitlisted, errors = _race(race_event)
    assert confirmed > SEATS or errors > 0
