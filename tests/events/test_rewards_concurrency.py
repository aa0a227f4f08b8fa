"""Exactly-once awards and exact redemptions when many threads hit the same rows at once.

Each thread has its own database connection: the unique ledger key and the row locks (IMMEDIATE write
transactions on SQLite) are what keep the numbers exact. A gate (tests/races.py) holds every thread at the
write the race is about until all are there; each control runs the same race without the locks and shows
it then goes wrong, every time.
"""

import pytest
from django.db import connection

from events import services
from events.errors import CouponError, RewardError
from events.models import CheckIn, Coupon, CouponUse, PointsEntry, Registration
from events.rewards import services as reward_services
from events.rewards.selectors import get_balance
from events.rewards.services import FIRST_ATTENDANCE_BONUS, REFERRAL_BONUS
from portal import roles
from tests.factories import give_points, make_user, open_doors
from tests.races import Gate, insert_into, run_together

THREADS = 20


def _together(call, gate: Gate, *, locks: bool = True) -> list:
    return run_together([call] * THREADS, gate, locks=locks)


def _failures(results: list) -> list:
    """What the service raised other than its own refusals: a 500 for the member."""
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, (RewardError, CouponError))]


def _scans_of_one_ticket(make_event, member, staff, *, locks: bool = True):
    friend = make_user("friend@example.com", roles.MEMBERS, referred_by=member)
    event = make_event(reward_points=30, capacity=5)
    registration = services.register_for_event(event=event, member=friend)
    open_doors(event)
    gate = Gate(THREADS, before=insert_into(CheckIn))
    results = _together(
        lambda: services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)[1],
        gate, locks=locks,
    )
    return friend, results, gate


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_one_ticket_award_once(make_event, member, staff):
    friend, results, gate = _scans_of_one_ticket(make_event, member, staff)
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert (gate.hits, gate.most_at_once) == (1, 1)
    assert CheckIn.objects.count() == 1
    assert get_balance(friend) == 30 + FIRST_ATTENDANCE_BONUS + REFERRAL_BONUS
    assert get_balance(member) == REFERRAL_BONUS


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_scans_of_one_ticket_fail(make_event, member, staff):
    _friend, results, gate = _scans_of_one_ticket(make_event, member, staff, locks=False)
    assert gate.most_at_once == THREADS
    # Every scan saw no check-in; all but one then hit the unique registration (PostgreSQL) or could
    # not write (SQLite): errors where a repeat scan should have been told "already in".
    assert len(_failures(results)) == THREADS - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_award_retries_write_each_line_once(make_event, member, staff):
    event = make_event(reward_points=30)
    registration = services.register_for_event(event=event, member=member)
    # Attendance recorded without its award, as a crashed worker would leave it; then retries race.
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED)
    registration = Registration.objects.select_related("member", "event").get(pk=registration.pk)
    gate = Gate(THREADS, before=insert_into(PointsEntry))
    results = _together(lambda: len(reward_services.award_attendance_reward(registration=registration)), gate)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 2
    assert PointsEntry.objects.filter(user=member).count() == 2
    assert get_balance(member) == 30 + FIRST_ATTENDANCE_BONUS
    # No lock comes first here: on PostgreSQL all retries write the same key at once and the unique key
    # alone decides; SQLite runs the whole transactions one at a time. There is no control: the key is
    # the schema, not a lock a test can take out.
    assert gate.hits == 2 * THREADS
    assert gate.most_at_once == (1 if connection.vendor == "sqlite" else THREADS)


def _redeem_five(member, make_reward, *, locks: bool = True):
    reward = make_reward(points_cost=100, stock=100)
    give_points(member, 500)
    gate = Gate(THREADS, before=insert_into(Coupon))
    results = _together(lambda: reward_services.redeem_reward(member=member, reward=reward), gate,
                        locks=locks)
    return results, gate


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_redemptions_with_points_for_five(member, make_reward):
    results, gate = _redeem_five(member, make_reward)
    coupons = [r for r in results if isinstance(r, Coupon)]
    refused = [r for r in results if isinstance(r, RewardError)]
    assert len(coupons) == 5 and len(refused) == THREADS - 5
    assert {exc.code for exc in refused} == {"not_enough_points"}
    assert get_balance(member) == 0
    assert Coupon.objects.filter(owner=member).count() == 5
    assert (gate.hits, gate.most_at_once) == (5, 1)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_locks_redemptions_overspend(member, make_reward):
    results, gate = _redeem_five(member, make_reward, locks=False)
    assert gate.most_at_once == THREADS
    coupons = [r for r in results if isinstance(r, Coupon)]
    if connection.vendor == "sqlite":
        # Deferred transactions all read 500 points; only the first to write can.
        assert (len(coupons), len(_failures(results))) == (1, THREADS - 1)
    else:
        assert len(coupons) == THREADS and get_balance(member) == 500 - THREADS * 100


def _redeem_from_stock_of_three(member, other_member, make_reward, *, locks: bool = True):
    reward = make_reward(points_cost=10, stock=3)
    give_points(member, 1000)
    give_points(other_member, 1000)
    gate = Gate(THREADS, before=insert_into(Coupon))
    jobs = [
        lambda buyer=buyer: reward_services.redeem_reward(member=buyer, reward=reward)
        for buyer in [member, other_member] * (THREADS // 2)
    ]
    return run_together(jobs, gate, locks=locks), gate


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_exceed_the_stock(member, other_member, make_reward):
    results, gate = _redeem_from_stock_of_three(member, other_member, make_reward)
    assert len([r for r in results if isinstance(r, Coupon)]) == 3
    assert {r.code for r in results if isinstance(r, RewardError)} == {"out_of_stock"}
    assert get_balance(member) + get_balance(other_member) == 2000 - 30
    assert (gate.hits, gate.most_at_once) == (3, 1)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_locks_redemptions_overrun_the_stock(member, other_member, make_reward):
    results, gate = _redeem_from_stock_of_three(member, other_member, make_reward, locks=False)
    assert gate.most_at_once == THREADS
    coupons = [r for r in results if isinstance(r, Coupon)]
    if connection.vendor == "sqlite":
        assert (len(coupons), len(_failures(results))) == (1, THREADS - 1)
    else:
        assert len(coupons) == THREADS


def _scans_of_one_card(member, make_reward, staff, store, *, locks: bool = True):
    """Twenty counter scans (each its own scan id) of a service card with three uses."""
    reward = make_reward(title="Three manicures", kind="service_card", percent_off=None, uses=3,
                         points_cost=50)
    give_points(member, 50)
    card = reward_services.redeem_reward(member=member, reward=reward)
    gate = Gate(THREADS, before=insert_into(CouponUse))
    jobs = [
        lambda n=n: reward_services.use_coupon(code=card.code, staff=staff, store=store, scan_id=f"scan{n}")
        for n in range(THREADS)
    ]
    return card, run_together(jobs, gate, locks=locks), gate


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_a_card_take_only_its_uses(member, make_reward, staff, store):
    card, results, gate = _scans_of_one_card(member, make_reward, staff, store)
    taken = [use for use, created in (r for r in results if isinstance(r, tuple)) if created]
    assert sorted(use.coupon.uses_left for use in taken) == [0, 1, 2]
    assert [r.code for r in results if isinstance(r, CouponError)] == ["used_up"] * (THREADS - 3)
    assert CouponUse.objects.filter(coupon=card).count() == 3
    assert (gate.hits, gate.most_at_once) == (3, 1)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_scans_of_a_card_overrun_its_uses(member, make_reward, staff, store):
    card, results, gate = _scans_of_one_card(member, make_reward, staff, store, locks=False)
    assert gate.most_at_once == THREADS
    if connection.vendor == "sqlite":
        assert len(_failures(results)) == THREADS - 1
    else:
        assert CouponUse.objects.filter(coupon=card).count() == THREADS
