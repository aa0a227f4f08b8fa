"""Redemption, coupon and card use at /checkin/, and the permission matrix of the rewards pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content.services import add_store_staff
from events.errors import CouponError, RewardError
from events.models import Coupon, CouponUse
from events.rewards import services as reward_services
from events.rewards.selectors import get_balance
from portal import roles
from portal.models import Notification
from tests.factories import give_points, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(member, make_reward):
    reward = make_reward(title="Five manicures", kind="service_card", percent_off=None, uses=3,
                         points_cost=50)
    give_points(member, 50)
    return reward_services.redeem_reward(member=member, reward=reward)


@pytest.fixture
def coupon(member, make_reward):
    give_points(member, 100)
    return reward_services.redeem_reward(member=member, reward=make_reward())


def test_redemption_spends_points_and_notifies(member, make_reward):
    give_points(member, 150)
    coupon = reward_services.redeem_reward(member=member, reward=make_reward())
    assert get_balance(member) == 50 and coupon.points_spent == 100
    assert coupon.expires_at > timezone.now() + timedelta(days=29)
    assert Notification.objects.filter(user=member, kind="rewards").exists()


@pytest.mark.parametrize("case", ["not_enough_points", "not_available", "wrong_audience", "out_of_stock"])
def test_redemption_refusals(case, member, make_reward):
    give_points(member, 100 if case != "not_enough_points" else 99)
    fields = {
        "not_available": {"available_from": timezone.now() + timedelta(days=1)},
        "wrong_audience": {"audience": "providers"},
        "out_of_stock": {"stock": 0},
    }.get(case, {})
    with pytest.raises(RewardError) as exc:
        reward_services.redeem_reward(member=member, reward=make_reward(**fields))
    assert exc.value.code == case
    assert get_balance(member) == (100 if case != "not_enough_points" else 99)


def test_coupon_is_used_once(coupon, staff, store):
    use, created = reward_services.use_coupon(code=coupon.code, staff=staff, store=store, scan_id="a")
    assert created
    # The same scan submitted twice returns the first use.
    again, created_again = reward_services.use_coupon(code=coupon.code, staff=staff, store=store, scan_id="a")
    assert not created_again and again.pk == use.pk
    with pytest.raises(CouponError) as exc:
        reward_services.use_coupon(code=coupon.code, staff=staff, store=store, scan_id="b")
    assert exc.value.code == "used_up"
    assert CouponUse.objects.count() == 1


def test_service_card_loses_one_use_per_scan(card, staff, store):
    lefts = [reward_services.use_coupon(code=card.code, staff=staff, store=store, scan_id=str(n))[0]
             .coupon.uses_left for n in range(3)]
    assert lefts == [2, 1, 0]
    with pytest.raises(CouponError) as exc:
        reward_services.use_coupon(code=card.code, staff=staff, store=store, scan_id="x")
    assert exc.value.code == "used_up"


def test_expired_coupon_is_refused(coupon, staff, store):
    Coupon.objects.filter(pk=coupon.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(CouponError) as exc:
        reward_services.use_coupon(code=coupon.code, staff=staff, store=store, scan_id="a")
    assert exc.value.code == "expired"


def test_staff_of_another_store_cannot_use_a_coupon(coupon, store, member):
    far = make_user("far@example.com", roles.STORE_STAFF)
    for user in (far, member):
        with pytest.raises(CouponError) as exc:
            reward_services.use_coupon(code=coupon.code, staff=user, store=store, scan_id="a")
        assert exc.value.code == "forbidden"


def test_checkin_page_recognises_coupons_green_then_red(client, coupon, staff, event):
    client.force_login(staff)
    body = client.post(f"/checkin/{event.pk}/", {"code": coupon.code, "scan_id": "s1"}).content.decode()
    assert 'data-checkin-result="ok"' in body and "Coupon accepted" in body and "Mei" in body
    body = client.post(f"/checkin/{event.pk}/", {"code": coupon.code, "scan_id": "s1"}).content.decode()
    assert 'data-checkin-result="ok"' in body and "already recorded" in body
    body = client.post(f"/checkin/{event.pk}/", {"code": coupon.code, "scan_id": "s2"}).content.decode()
    assert 'data-checkin-result="bad"' in body and "Already used on" in body
    body = client.post(f"/checkin/{event.pk}/", {"code": "C.nope", "scan_id": "s3"}).content.decode()
    assert 'data-checkin-result="bad"' in body and "Unknown code" in body


def test_counter_scan_of_a_card_shows_uses_left(client, card, staff):
    client.force_login(staff)
    body = client.post("/checkin/coupons/", {"code": card.code, "scan_id": "s1"}).content.decode()
    assert "2 uses left" in body


def test_catalogue_redeem_and_coupon_pages(client, member, make_reward):
    reward = make_reward(title="Gloss upgrade")
    give_points(member, 100)
    client.force_login(member)
    assert "Gloss upgrade" in client.get("/rewards/").content.decode()
    response = client.post(f"/rewards/{reward.pk}/redeem/")
    coupon = Coupon.objects.get(owner=member)
    assert response.url == f"/me/coupons/{coupon.code}/"
    page = client.get(response.url).content.decode()
    assert "<svg" in page and coupon.code in page
    assert coupon.code in client.get("/me/coupons/").content.decode()
    response = client.post(f"/rewards/{reward.pk}/redeem/", follow=True)
    assert "You do not have enough points" in response.content.decode()


def test_points_page_balance_history_and_empty_state(client, member, other_member):
    client.force_login(other_member)
    assert "No points yet" in client.get("/me/points/").content.decode()
    give_points(member, 40)
    client.force_login(member)
    body = client.get("/me/points/").content.decode()
    assert "data-points-balance>40<" in body and "test credit" in body
    assert client.get("/me/points/balance.json").json() == {"balance": 40}
    assert "data-points-balance>40<" in client.get("/me/").content.decode()


def test_points_history_is_paginated_in_constant_queries(client, member, django_assert_max_num_queries):
    for _n in range(25):
        give_points(member, 1)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        body = client.get("/me/points/").content.decode()
    assert "Page 1 of 2" in body


def test_rewards_list_in_constant_queries(client, member, make_reward, django_assert_max_num_queries):
    for n in range(10):
        make_reward(title=f"Reward {n}")
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get("/rewards/").status_code == 200


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("owner", 200), ("other_member", 404), ("staff", 404), ("moderator", 200),
])
def test_coupon_page_permission_matrix(who, status, client, coupon, other_member, staff, moderator):
    users = {"owner": coupon.owner, "other_member": other_member, "staff": staff, "moderator": moderator}
    if who in users:
        client.force_login(users[who])
    assert client.get(f"/me/coupons/{coupon.code}/").status_code == status


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("member", 403), ("other_staff", 403), ("staff", 200), ("moderator", 200),
])
def test_counter_scan_permission_matrix(who, status, client, coupon, staff, moderator):
    users = {"member": coupon.owner, "staff": staff, "moderator": moderator,
             "other_staff": make_user("far@example.com", roles.STORE_STAFF)}
    if who in users:
        client.force_login(users[who])
    response = client.post("/checkin/coupons/", {"code": coupon.code, "scan_id": "s"})
    assert response.status_code == status
    assert CouponUse.objects.exists() is (status == 200)


@pytest.mark.parametrize("url", ["/me/points/", "/me/coupons/", "/rewards/", "/me/points/balance.json"])
def test_member_pages_need_sign_in(client, url):
    assert client.get(url).status_code == 302


def test_counter_staff_of_two_stores_choose_where_the_coupon_is_used(client, coupon, staff, other_store):
    add_store_staff(user=staff, store=other_store)
    client.force_login(staff)
    page = client.get("/checkin/coupons/").content.decode()
    assert 'name="store"' in page and "Da&#x27;an" in page
    client.post("/checkin/coupons/", {"code": coupon.code, "scan_id": "s1", "store": other_store.pk})
    assert CouponUse.objects.get().store_id == other_store.pk


def test_the_dashboard_counts_points_and_only_usable_coupons(client, member, make_reward,
                                                             site_tree):
    give_points(member, 400)
    usable = reward_services.redeem_reward(member=member, reward=make_reward(
        kind="service_card", percent_off=None, uses=2))
    CouponUse.objects.create(coupon=usable, scan_id="one")  # one use of two left
    used_up = reward_services.redeem_reward(member=member, reward=make_reward())
    CouponUse.objects.create(coupon=used_up, scan_id="two")
    expired = reward_services.redeem_reward(member=member, reward=make_reward())
    Coupon.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    client.force_login(member)
    page = client.get("/me/").content.decode()
    assert "data-points-balance>100<" in page and "1 coupon ready to use" in page
