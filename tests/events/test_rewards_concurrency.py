"""Exactly-once awards and exact redemptions when many threads hit the same rows at once.

Each thread has its own database connection: the unique ledger key and the row locks (IMMEDIATE write
transactions on SQLite) are what keep the numbers exact.
"""

import threading

import pytest
from django.db import connection

from events import reward_services, services
from events.errors import RewardError
from events.models import CheckIn, Coupon, PointsEntry, Registration, Reward
from events.reward_selectors import get_balance
from events.reward_services import FIRST_ATTENDANCE_BONUS, REFERRAL_BONUS
from portal import roles
from tests.conftest import make_user
from tests.events.conftest import give_points

THREADS = 20


def _run_together(target) -> list:
    """Start THREADS calls of target at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(THREADS)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_of_one_ticket_award_once(make_event, member, staff):
    friend = make_user("friend@example.com", roles.MEMBERS, referred_by=member)
    event = make_event(reward_points=30, capacity=5)
    registration = services.register_for_event(event=event, member=friend)
    results = _run_together(
        lambda: services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)[1]
    )
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert CheckIn.objects.count() == 1
    assert get_balance(friend) == 30 + FIRST_ATTENDANCE_BONUS + REFERRAL_BONUS
    assert get_balance(member) == REFERRAL_BONUS


@pytest.mark.django_db(transaction=True)
def test_concurrent_award_retries_write_each_line_once(make_event, member, staff):
    event = make_event(reward_points=30)
    registration = services.register_for_event(event=event, member=member)
    # Attendance recorded without its award, as a crashed worker would leave it; then retries race.
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED)
    registration = Registration.objects.select_related("member", "event").get(pk=registration.pk)
    results = _run_together(lambda: len(reward_services.award_attendance_reward(registration=registration)))
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(results) == 2
    assert PointsEntry.objects.filter(user=member).count() == 2
    assert get_balance(member) == 30 + FIRST_ATTENDANCE_BONUS


def _gate_after_balance(monkeypatch):
    """Hold each redemption after it read the balance until all have: the worst interleaving.

    With the locks only one redemption at a time gets that far, so the gate times out once and stays open.
    """
    balance = reward_services.get_balance
    gate = threading.Barrier(THREADS, timeout=2)

    def gated(user):
        value = balance(user)
        try:
            gate.wait()
        except threading.BrokenBarrierError:
            pass
        return value

    monkeypatch.setattr(reward_services, "get_balance", gated)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_redemptions_with_points_for_five(member, make_reward, monkeypatch):
    reward = make_reward(points_cost=100, stock=100)
    give_points(member, 500)
    _gate_after_balance(monkeypatch)
    results = _run_together(lambda: reward_services.redeem_reward(member=member, reward=reward))
    coupons = [r for r in results if isinstance(r, Coupon)]
    refused = [r for r in results if isinstance(r, RewardError)]
    assert len(coupons) == 5 and len(refused) == THREADS - 5
    assert {exc.code for exc in refused} == {"not_enough_points"}
    assert get_balance(member) == 0
    assert Coupon.objects.filter(owner=member).count() == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_never_exceed_the_stock(member, other_member, make_reward):
    reward = make_reward(points_cost=10, stock=3)
    give_points(member, 1000)
    give_points(other_member, 1000)
    buyers = iter([member, other_member] * THREADS)
    lock = threading.Lock()

    def redeem():
        with lock:
            buyer = next(buyers)
        return reward_services.redeem_reward(member=buyer, reward=reward)

    results = _run_together(redeem)
    assert len([r for r in results if isinstance(r, Coupon)]) == 3
    assert {r.code for r in results if isinstance(r, RewardError)} == {"out_of_stock"}
    assert get_balance(member) + get_balance(other_member) == 2000 - 30


@pytest.mark.django_db(transaction=True)
def test_control_without_the_locks_redemptions_overspend(member, make_reward, monkeypatch):
    reward = make_reward(points_cost=100, stock=100)
    give_points(member, 500)
    _gate_after_balance(monkeypatch)
    if connection.vendor == "sqlite":
        # SQLite's protection is the IMMEDIATE write transaction: deferred ones read stale balances.
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    else:
        monkeypatch.setattr(reward_services, "_lock_user", lambda user: user)
        monkeypatch.setattr(reward_services, "_lock_reward", lambda pk: Reward.objects.get(pk=pk))
    results = _run_together(lambda: reward_services.redeem_reward(member=member, reward=reward))
    coupons = [r for r in results if isinstance(r, Coupon)]
    failures = [r for r in results if not isinstance(r, (Coupon, RewardError))]
    assert len(coupons) > 5 or failures
