"""Rules of the rewards: awards (exactly once), redemption, coupon use, staff adjustments, recognition."""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F
from django.utils import timezone
from django.utils.translation import gettext_noop

from events import selectors
from events.errors import AdjustmentCode, AdjustmentError, CouponCode, CouponError, RewardCode, RewardError
from events.models import EventPage, Registration
from events.rewards.models import Coupon, CouponUse, PointsEntry, ReviewScore, Reward
from events.rewards.selectors import get_balance
from portal.models import ProviderTier, User
from portal.notifications import Text
from portal.services import notify

Reason = PointsEntry.Reason

FIRST_ATTENDANCE_BONUS = 50
REFERRAL_BONUS = 100
REVIEW_POINTS = 10
EXPIRY_NOTICE = timedelta(days=7)
HELPFUL_POSTER_REVIEWS = 3
POINTS_URL = "/me/points/"


def _lock_user(user: User) -> User:
    # The user row guards the balance: every spend takes it before summing the ledger.
    return User.objects.select_for_update().get(pk=user.pk)


def _lock_reward(reward_id: int) -> Reward:
    # The reward row guards the stock: redemptions of one reward count the issued coupons one at a time.
    return Reward.objects.select_for_update(of=("self",)).select_related("service").get(pk=reward_id)


def _award(user: User, amount: int, reason: str, source_type: str, source_id: int,
           message: Text) -> PointsEntry | None:
    """Write one ledger line unless its key is already there; notify the member only when it is new."""
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            entry = PointsEntry.objects.create(
                user=user, amount=amount, reason=reason, source_type=source_type, source_id=source_id
            )
    except IntegrityError:
        # A retried check-in or re-sent signal: the first award stands.
        return None
    notify(user, "points", message, POINTS_URL)
    return entry


@transaction.atomic
def award_attendance_reward(*, registration: Registration) -> list[PointsEntry]:
    """Attendance pays the event's points once; the first-event and referral bonuses once per member."""
    member = registration.member
    event = registration.event
    awarded = [
        _award(member, event.reward_points, Reason.ATTENDANCE, "registration", registration.pk,
               Text(gettext_noop("You earned %(points)s points for attending %(title)s."),
                    points=event.reward_points, title=event.title)),
        # Keyed on the member: the bonus exists once per member whatever event comes first.
        _award(member, FIRST_ATTENDANCE_BONUS, Reason.FIRST_ATTENDANCE, "user", member.pk,
               Text(gettext_noop("Welcome bonus: %(points)s points for your first event."),
                    points=FIRST_ATTENDANCE_BONUS)),
    ]
    referrer = member.referred_by
    if referrer is not None and referrer.pk != member.pk:
        # Both lines are keyed on the new member, so each side is paid once, on the first attendance.
        awarded.append(_award(
            member, REFERRAL_BONUS, Reason.REFERRAL, "user", member.pk,
            Text(gettext_noop("Referral bonus: %(points)s points for joining through %(name)s."),
                 points=REFERRAL_BONUS, name=referrer.name)))
        awarded.append(_award(
            referrer, REFERRAL_BONUS, Reason.REFERRAL, "user", member.pk,
            Text(gettext_noop("Referral bonus: %(points)s points, %(name)s attended their first event."),
                 points=REFERRAL_BONUS, name=member.name)))
    refresh_member_recognition(user=member)
    return [entry for entry in awarded if entry]


@transaction.atomic
def award_review_points(*, review_id: int, member: User, store_id: int, score: Decimal) -> PointsEntry | None:
    """A published service review pays a little, once; its score feeds the store's providers' tiers."""
    ReviewScore.objects.get_or_create(
        review_id=review_id, defaults={"member": member, "store_id": store_id, "score": score}
    )
    entry = _award(member, REVIEW_POINTS, Reason.REVIEW, "review", review_id,
                   Text(gettext_noop("Thank you for your review: %(points)s points."),
                        points=REVIEW_POINTS))
    refresh_member_recognition(user=member)
    for provider in User.objects.filter(home_store_id=store_id, groups__name="Providers"):
        refresh_member_recognition(user=provider)
    return entry


@transaction.atomic
def issue_welcome_coupon(*, user: User) -> Coupon | None:
    """A verified e-mail earns the welcome gift chosen by editors, once per member."""
    reward = next((r for r in Reward.objects.filter(welcome_gift=True).select_related("service")
                   if r.is_available()), None)
    if reward is None:
        return None
    try:
        with transaction.atomic():
            coupon = Coupon.from_reward(reward, user, origin=Coupon.Origin.WELCOME)
            coupon.save()
    except IntegrityError:
        return None
    notify(user, "rewards",
           Text(gettext_noop("Welcome to Tend! Your gift is waiting: %(title)s."), title=reward.title),
           f"/me/coupons/{coupon.code}/")
    return coupon


@transaction.atomic
def redeem_reward(*, member: User, reward: Reward) -> Coupon:
    """Stock and balance are checked under the reward's and the member's row locks, in that order."""
    reward = _lock_reward(reward.pk)
    _lock_user(member)
    if not reward.is_available():
        raise RewardError(RewardCode.NOT_AVAILABLE)
    if not selectors.audience_allows(reward.audience, member):
        raise RewardError(RewardCode.WRONG_AUDIENCE)
    issued = reward.coupons.filter(origin=Coupon.Origin.REDEMPTION).count()
    if reward.stock is not None and issued >= reward.stock:
        raise RewardError(RewardCode.OUT_OF_STOCK)
    if get_balance(member) < reward.points_cost:
        raise RewardError(RewardCode.NOT_ENOUGH_POINTS)
    coupon = Coupon.from_reward(reward, member, origin=Coupon.Origin.REDEMPTION)
    coupon.save()
    if reward.points_cost:
        PointsEntry.objects.create(user=member, amount=-reward.points_cost, reason=Reason.REDEMPTION,
                                   source_type="coupon", source_id=coupon.pk)
    notify(member, "rewards",
           Text(gettext_noop("You redeemed %(title)s for %(points)s points."), title=reward.title,
                points=reward.points_cost),
           f"/me/coupons/{coupon.code}/")
    return coupon


@transaction.atomic
def use_coupon(*, code: str, staff: User, store, scan_id: str) -> tuple[CouponUse, bool]:
    """Store staff take one use per scan: a coupon once, a card until its uses run out, never after expiry.

    The form's scan id makes a double submit return the first use instead of taking a second.
    """
    if not selectors.can_manage_store(staff, store.pk if store else None):
        raise CouponError(CouponCode.FORBIDDEN)
    coupon = Coupon.objects.select_for_update(of=("self",)).select_related("owner").filter(
        code=code.strip()).first()
    if coupon is None:
        raise CouponError(CouponCode.UNKNOWN_CODE)
    existing = coupon.uses.filter(scan_id=scan_id).first()
    if existing:
        return existing, False
    if coupon.is_expired:
        raise CouponError(CouponCode.EXPIRED, coupon)
    previous = list(coupon.uses.select_related("store"))
    if len(previous) >= coupon.uses_total:
        raise CouponError(CouponCode.USED_UP, coupon, previous[-1])
    use = CouponUse.objects.create(coupon=coupon, store=store, staff=staff, scan_id=scan_id[:40])
    coupon.uses_left = coupon.uses_total - len(previous) - 1
    return use, True


@transaction.atomic
def adjust_points(*, member: User, amount: int, note: str, staff: User) -> PointsEntry:
    """Moderators add or take points with a written reason; the balance never goes below zero."""
    if not staff.is_moderator:
        raise AdjustmentError(AdjustmentCode.FORBIDDEN)
    note = note.strip()
    if not note:
        raise AdjustmentError(AdjustmentCode.REASON_REQUIRED)
    if amount == 0:
        raise AdjustmentError(AdjustmentCode.ZERO_AMOUNT)
    _lock_user(member)
    if get_balance(member) + amount < 0:
        raise AdjustmentError(AdjustmentCode.NOT_ENOUGH_POINTS)
    entry = PointsEntry.objects.create(user=member, amount=amount, reason=Reason.ADJUSTMENT,
                                       note=note[:300], created_by=staff)
    notify(member, "points",
           Text(gettext_noop("Your points were adjusted by %(points)+d: %(note)s"),
                points=amount, note=note),
           POINTS_URL)
    return entry


def send_coupon_expiry_reminders(*, now=None) -> int:
    """Each unused coupon or card is announced once, within 7 days before it expires."""
    now = now or timezone.now()
    due = (
        Coupon.objects.filter(expiry_reminded_at__isnull=True, expires_at__gt=now,
                              expires_at__lte=now + EXPIRY_NOTICE)
        .annotate(used=Count("uses")).filter(used__lt=F("uses_total"))
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            coupon = (
                Coupon.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, expiry_reminded_at__isnull=True).select_related("owner").first()
            )
            if coupon is None:
                continue
            coupon.expiry_reminded_at = now
            coupon.save(update_fields=["expiry_reminded_at"])
            notify(coupon.owner, "coupon_expiry",
                   Text(gettext_noop("%(title)s expires on %(date)s: use it before then."),
                        title=coupon.title, date=timezone.localtime(coupon.expires_at).strftime("%Y-%m-%d")),
                   f"/me/coupons/{coupon.code}/")
            sent += 1
    return sent


def _provider_tier(user: User) -> str:
    if not user.is_provider:
        return ""
    trainings = Registration.objects.filter(
        member=user, status=Registration.Status.ATTENDED, event__kind=EventPage.Kind.TRAINING
    ).count()
    reviews = (ReviewScore.objects.filter(store_id=user.home_store_id).aggregate(average=Avg("score"),
                                                                                 count=Count("pk"))
               if user.home_store_id else {"average": None, "count": 0})
    average = reviews["average"] or 0
    if trainings >= 2 and reviews["count"] >= 3 and average >= Decimal("4.5"):
        return ProviderTier.EXCELLENT
    if trainings >= 1 and reviews["count"] >= 1 and average >= Decimal("4.0"):
        return ProviderTier.GOOD
    return ProviderTier.STANDARD


def _badges(user: User) -> list[str]:
    attended = Registration.objects.filter(member=user, status=Registration.Status.ATTENDED).count()
    reviews = ReviewScore.objects.filter(member=user).count()
    earned = [("first_event", attended >= 1), ("five_events", attended >= 5), ("ten_events", attended >= 10),
              ("helpful_poster", reviews >= HELPFUL_POSTER_REVIEWS)]
    return [key for key, ok in earned if ok]


def refresh_member_recognition(*, user: User) -> None:
    """Badges and provider tier are derived from attendance and reviews, and stored for cheap display."""
    badges, tier = _badges(user), _provider_tier(user)
    if badges != user.badges or tier != user.provider_tier:
        user.badges, user.provider_tier = badges, tier
        user.save(update_fields=["badges", "provider_tier"])  # a save: the cached row is dropped
