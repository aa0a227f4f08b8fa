"""Earning: attendance, first-event and referral bonuses, reviews, the welcome gift; recognition."""

from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import services as community_services
from events.errors import RewardError
from events.models import Coupon, EventPage, PointsEntry
from events.rewards import services as reward_services
from events.rewards.selectors import get_balance
from events.rewards.services import FIRST_ATTENDANCE_BONUS, REFERRAL_BONUS, REVIEW_POINTS
from portal import roles
from portal.models import Notification
from tests.factories import attend, give_points, make_user

pytestmark = pytest.mark.django_db
Reason = PointsEntry.Reason


def test_attendance_pays_event_points_and_first_bonus_once(make_event, member, staff):
    event = make_event(reward_points=30)
    registration = attend(event, member, staff)
    assert get_balance(member) == 30 + FIRST_ATTENDANCE_BONUS
    # A second scan and a retried award change nothing.
    from events import services

    services.check_in_attendee(code=registration.ticket_code, event=event, staff=staff)
    reward_services.award_attendance_reward(registration=registration)
    assert get_balance(member) == 30 + FIRST_ATTENDANCE_BONUS
    assert Notification.objects.filter(user=member, kind="points").count() == 2


def test_second_event_pays_only_its_points(make_event, member, staff):
    attend(make_event(reward_points=30), member, staff)
    attend(make_event(reward_points=20), member, staff)
    assert get_balance(member) == 50 + FIRST_ATTENDANCE_BONUS
    assert PointsEntry.objects.filter(user=member, reason=Reason.FIRST_ATTENDANCE).count() == 1


def test_ledger_key_refuses_a_duplicate_award(member):
    PointsEntry.objects.create(user=member, amount=5, reason=Reason.ATTENDANCE, source_type="registration",
                               source_id=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(user=member, amount=5, reason=Reason.ATTENDANCE,
                                   source_type="registration", source_id=1)


def test_referral_pays_both_once_on_first_attendance(make_event, member, staff):
    friend = make_user("friend@example.com", roles.MEMBERS, referred_by=member)
    attend(make_event(reward_points=0), friend, staff)
    attend(make_event(reward_points=0), friend, staff)
    assert get_balance(member) == REFERRAL_BONUS
    assert get_balance(friend) == REFERRAL_BONUS + FIRST_ATTENDANCE_BONUS
    # The referrer's own attendance pays no referral bonus.
    attend(make_event(reward_points=0), member, staff)
    assert get_balance(member) == REFERRAL_BONUS + FIRST_ATTENDANCE_BONUS


def test_referrer_is_paid_for_each_friend(make_event, member, staff):
    for n in range(2):
        attend(make_event(), make_user(f"f{n}@example.com", roles.MEMBERS, referred_by=member), staff)
    assert get_balance(member) == 2 * REFERRAL_BONUS


def test_self_referral_pays_nothing(make_event, member, staff):
    member.referred_by = member
    member.save()
    attend(make_event(reward_points=0), member, staff)
    assert get_balance(member) == FIRST_ATTENDANCE_BONUS
    assert not PointsEntry.objects.filter(reason=Reason.REFERRAL).exists()


def test_without_a_referrer_no_referral_bonus(make_event, member, staff):
    attend(make_event(reward_points=0), member, staff)
    assert not PointsEntry.objects.filter(reason=Reason.REFERRAL).exists()


def _review(staff, member, store, day=None, score=5):
    visit = community_services.record_service_visit(staff=staff, member=member, store=store,
                                                    date=day or date.today())
    return community_services.create_service_review(member=member, visit=visit, process=score,
                                                    courtesy=score, technique=score, text="Lovely")


def test_published_review_pays_the_reviewer_once(staff, member, store):
    review = _review(staff, member, store)
    assert get_balance(member) == REVIEW_POINTS
    reward_services.award_review_points(review_id=review.pk, member=member, store_id=store.pk, score=5)
    assert get_balance(member) == REVIEW_POINTS


def test_verified_email_gives_the_welcome_gift_once(member, make_reward):
    make_reward(title="Free trial manicure", kind="gift", percent_off=None, points_cost=0, welcome_gift=True)
    address = EmailAddress.objects.get(user=member)
    for _n in range(2):
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    coupon = Coupon.objects.get(owner=member)
    assert coupon.origin == Coupon.Origin.WELCOME and coupon.points_spent == 0
    assert coupon.code.startswith("C.") and len(coupon.code) >= 24
    assert Notification.objects.filter(user=member, kind="rewards").count() == 1


def test_welcome_gift_through_the_real_confirmation(client, make_reward, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    make_reward(title="Free trial", kind="gift", percent_off=None, points_cost=0, welcome_gift=True)
    user = make_user("new@example.com", roles.MEMBERS)
    address = EmailAddress.objects.get(user=user)
    address.verified = False
    address.save()
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    client.post(f"/accounts/confirm-email/{key}/")
    assert Coupon.objects.filter(owner=user, origin=Coupon.Origin.WELCOME).count() == 1


def test_without_a_welcome_reward_nothing_is_issued(member):
    assert reward_services.issue_welcome_coupon(user=member) is None


def test_adjustment_needs_a_reason_a_moderator_and_never_goes_negative(member, moderator, staff):
    with pytest.raises(RewardError) as exc:
        reward_services.adjust_points(member=member, amount=10, note="  ", staff=moderator)
    assert exc.value.code == "reason_required"
    with pytest.raises(RewardError) as exc:
        reward_services.adjust_points(member=member, amount=10, note="goodwill", staff=staff)
    assert exc.value.code == "forbidden"
    entry = reward_services.adjust_points(member=member, amount=10, note="goodwill", staff=moderator)
    assert entry.created_by == moderator and entry.note == "goodwill"
    with pytest.raises(RewardError) as exc:
        reward_services.adjust_points(member=member, amount=-11, note="oops", staff=moderator)
    assert exc.value.code == "not_enough_points"
    reward_services.adjust_points(member=member, amount=-10, note="oops", staff=moderator)
    assert get_balance(member) == 0


def test_badges_follow_attendance_and_reviews(make_event, member, staff, store):
    attend(make_event(), member, staff)
    member.refresh_from_db()
    assert member.badges == ["first_event"]
    for _n in range(4):
        attend(make_event(), member, staff)
    for n in range(3):
        _review(staff, member, store, day=date.today() - timedelta(days=n))
    member.refresh_from_db()
    assert member.badges == ["first_event", "five_events", "helpful_poster"]
    assert [str(label) for label in member.badge_labels] == ["First event", "5 events", "Helpful poster"]


def test_provider_tier_from_trainings_and_store_reviews(make_event, provider, member, staff, store):
    provider.home_store = store
    provider.save()
    reward_services.refresh_member_recognition(user=provider)
    provider.refresh_from_db()
    assert provider.provider_tier == "standard"
    training = {"kind": EventPage.Kind.TRAINING, "audience": EventPage.Audience.PROVIDERS}
    attend(make_event(**training), provider, staff)
    _review(staff, member, store, score=5)
    provider.refresh_from_db()
    assert provider.provider_tier == "good"
    attend(make_event(**training), provider, staff)
    for n in (1, 2):
        _review(staff, member, store, day=date.today() - timedelta(days=n), score=5)
    provider.refresh_from_db()
    assert provider.provider_tier == "excellent"
    # Poor reviews at the store bring the tier down.
    for n in (3, 4, 5, 6):
        _review(staff, member, store, day=date.today() - timedelta(days=n), score=1)
    provider.refresh_from_db()
    assert provider.provider_tier == "standard"


def test_members_have_no_tier(make_event, member, staff):
    attend(make_event(), member, staff)
    member.refresh_from_db()
    assert member.provider_tier == ""


def test_expiry_reminder_once_within_seven_days(member, make_reward):
    from django.core.management import call_command

    reward = make_reward(points_cost=0)
    give_points(member, 1)
    soon = reward_services.redeem_reward(member=member, reward=reward)
    later = reward_services.redeem_reward(member=member, reward=reward)
    Coupon.objects.filter(pk=soon.pk).update(expires_at=timezone.now() + timedelta(days=6))
    Coupon.objects.filter(pk=later.pk).update(expires_at=timezone.now() + timedelta(days=8))
    call_command("send_coupon_expiry_reminders")
    call_command("send_coupon_expiry_reminders")
    notes = Notification.objects.filter(user=member, kind="coupon_expiry")
    assert notes.count() == 1 and soon.code in notes.get().url
