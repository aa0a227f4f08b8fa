"""Events fixtures: the store's staff, a second store and rewards, built on tests/factories.py (the /events/
index and its events are in tests/conftest.py: other folders' tests open event sockets too)."""

import pytest

from content.models import StorePage
from tests.factories import RewardFactory, StaffFactory


@pytest.fixture
def staff(store):
    """Staff of the event's store through its own staff group (content.services)."""
    return StaffFactory(email="staff@example.com", display_name="Kai", store=store)


@pytest.fixture
def other_store(store):
    return store.get_parent().add_child(instance=StorePage(title="Da'an", slug="daan"))


@pytest.fixture
def other_staff(other_store, store):
    """Staff of another store, whose profile even names the event's store as home."""
    return StaffFactory(email="far@example.com", display_name="Lin", home_store=store, store=other_store)


@pytest.fixture
def make_reward(db):
    return RewardFactory
