"""No overbooking when many members register at once through the real endpoint.

Requests run in threads; each thread has its own database connection, so the database (row lock on
PostgreSQL, IMMEDIATE write transactions on SQLite) is what keeps the count exact. The gate (tests/races.py)
holds each registration at its insert until every thread has decided one; the control takes the lock out
and shows the same race then fails, every time, so the test is known to be able to.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import timezone

from events.models import EventPage, Registration
from portal import roles
from portal.models import User
from tests.races import Gate, insert_into, run_together

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


def _race(event: EventPage, *, locks: bool = True) -> tuple[int, int, int, Gate]:
    """Every thread's next registration waits at the insert until all threads have decided theirs."""
    clients = []
    for user in _members(REQUESTS):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/events/{event.slug}/register/"

    def post_all(batch):
        errors = []
        for client in batch:
            try:
                response = client.post(url)
                if response.status_code != 302:
                    errors.append(response.status_code)
            except Exception as exc:  # any failure counts as an error
                errors.append(repr(exc))
        return errors

    gate = Gate(THREADS, before=insert_into(Registration))
    jobs = [partial(post_all, clients[i::THREADS]) for i in range(THREADS)]
    errors = [error for result in run_together(jobs, gate, locks=locks) for error in result]
    regs = Registration.objects.filter(event=event)
    confirmed = regs.filter(status=Registration.Status.CONFIRMED).count()
    waitlisted = regs.filter(status=Registration.Status.WAITLISTED).count()
    return confirmed, waitlisted, len(errors), gate


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
def test_concurrent_registrations_never_overbook(race_event, mailoutbox):
    confirmed, waitlisted, errors, gate = _race(race_event)
    assert (confirmed, waitlisted, errors) == (SEATS, REQUESTS - SEATS, 0)
    assert len(mailoutbox) == SEATS
    # Every registration reached its insert, and the lock let them there one at a time.
    assert (gate.hits, gate.most_at_once) == (REQUESTS, 1)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_same_race_fails(race_event):
    confirmed, _waitlisted, errors, gate = _race(race_event, locks=False)
    assert gate.most_at_once == THREADS
    if connection.vendor == "sqlite":
        # Deferred transactions read in parallel; all but one of each wave then cannot write (503).
        assert errors >= THREADS - 1
    else:
        # Each wave of 16 counts before any of it inserts: the first four find at most 0, 16, 32 and 48
        # seats taken, and each confirms all 16.
        assert confirmed >= 4 * THREADS > SEATS
