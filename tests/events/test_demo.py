import io

import pytest

from content import demo as content_demo
from events import demo
from events.models import EventPage, Registration
from events.selectors import can_manage_store
from portal import demo as portal_demo
from portal.models import User


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_staff_can_check_in_at_xinyi(site_tree):
    out = io.StringIO()
    for _ in range(2):
        portal_demo.seed(out)
        content_demo.seed(out)
        demo.seed(out)
    assert EventPage.objects.count() == len(demo.EVENTS) + len(demo.PAST_EVENTS)
    assert Registration.objects.exists()
    staff = User.objects.get(email="staff@tend.example")
    assert staff.home_store.slug == "xinyi"
    xinyi_event = EventPage.objects.get(slug="gel-nail-experience-day")
    assert can_manage_store(staff, xinyi_event.store_id)
    assert not can_manage_store(staff, EventPage.objects.get(slug="scalp-care-beta-test").store_id)
    assert xinyi_event.practitioners.exists()


@pytest.mark.django_db
def test_demo_rewards_ledger_and_coupons_are_idempotent(site_tree):
    from events.models import Coupon, PointsEntry, Reward
    from events.rewards.selectors import get_balance

    out = io.StringIO()
    for _ in range(2):
        portal_demo.seed(out)
        content_demo.seed(out)
        demo.seed(out)
    member = User.objects.get(email="member@tend.example")
    assert Reward.objects.count() == len(demo.REWARDS)
    assert Coupon.objects.filter(owner=member).count() == 2
    assert PointsEntry.objects.filter(user=member).count() == 3
    assert get_balance(member) == 250
