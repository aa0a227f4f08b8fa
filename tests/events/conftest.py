"""Events fixtures: the /events/ index under the home page and a factory for events."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import StorePage
from content.services import add_store_staff
from events.models import EventIndexPage, EventPage
from portal import roles
from tests.conftest import make_user


@pytest.fixture
def event_index(site_tree):
    return EventIndexPage.objects.first() or site_tree.add_child(
        instance=EventIndexPage(title="Events", slug="events")
    )


@pytest.fixture
def make_event(event_index, store):
    counter = {"n": 0}

    def make(**fields) -> EventPage:
        counter["n"] += 1
        now = timezone.now()
        start = fields.pop("start", now + timedelta(days=3))
        defaults = {
            "title": f"Experience day {counter['n']}",
            "slug": f"experience-day-{counter['n']}",
            "store": store,
            "start": start,
            "end": start + timedelta(hours=2),
            "capacity": 2,
            "registration_opens": now - timedelta(days=1),
            "registration_closes": start - timedelta(hours=1),
            "cancellation_deadline": start - timedelta(hours=12),
            "audience": EventPage.Audience.MEMBERS,
        }
        defaults.update(fields)
        return event_index.add_child(instance=EventPage(**defaults))

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def staff(store):
    """Staff of the event's store through its own staff group (content.services)."""
    user = make_user("staff@example.com", display_name="Kai")
    add_store_staff(user=user, store=store)
    return user


@pytest.fixture
def other_store(store):
    return store.get_parent().add_child(instance=StorePage(title="Da'an", slug="daan"))


@pytest.fixture
def other_staff(other_store, store):
    """Staff of another store, whose profile even names the event's store as home."""
    user = make_user("far@example.com", display_name="Lin", home_store=store)
    add_store_staff(user=user, store=other_store)
    return user


def open_doors(event: EventPage) -> EventPage:
    """Move an event to start within the hour, so its check-in is open (CHECK_IN_OPENS_BEFORE),
    without going through registration rules."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(start=now + timedelta(hours=1), end=now + timedelta(hours=3))
    event.refresh_from_db()
    return event


def end_event(event: EventPage) -> EventPage:
    """Move an event into the past without going through registration rules."""
    now = timezone.now()
    EventPage.objects.filter(pk=event.pk).update(start=now - timedelta(hours=3), end=now - timedelta(hours=1))
    event.refresh_from_db()
    return event


@pytest.fixture
def make_reward(db):
    from events.models import Reward

    def make(**fields) -> Reward:
        defaults = {"title": "10% off a manicure", "kind": Reward.Kind.COUPON, "percent_off": 10,
                    "points_cost": 100, "validity_days": 30}
        defaults.update(fields)
        return Reward.objects.create(**defaults)

    return make


def give_points(user, amount: int):
    """Credit points as a moderator would, through the audited adjustment service."""
    from events.rewards import services as reward_services
    from portal.models import User

    email = f"ledger-mod-{user.pk}@example.com"
    moderator = User.objects.filter(email=email).first() or make_user(email, roles.MODERATORS)
    return reward_services.adjust_points(member=user, amount=amount, note="test credit", staff=moderator)


def attend(event: EventPage, member, staff):
    """Register and check in: the way points are earned."""
    from events import services

    registration = services.register_for_event(event=event, member=member)
    services.check_in_attendee(code=registration.ticket_code, event=open_doors(event), staff=staff)
    registration.refresh_from_db()
    return registration
