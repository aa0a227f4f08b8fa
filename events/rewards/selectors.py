"""Reads for the rewards pages and reports: balances are sums of the ledger, lists are one query each."""

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from wagtail.images import get_image_model

from events.models import Registration
from events.rewards.models import Coupon, CouponUse, PointsEntry, Reward
from events.selectors import audience_allows
from portal.caching import Key

# The token of what the member's dashboard shows of their events and rewards (events_tags), dropped
# by every write to their registrations, points, coupons and coupon uses. After commit only: nothing
# reads the dashboard inside these writes, and a drop now as well cost a cache round trip inside each
# registration's event lock.
MEMBER = Key("events:member", drop_now=False)
MEMBER.depends_on(Registration, "member_id")
MEMBER.depends_on(PointsEntry, "user_id")
MEMBER.depends_on(Coupon, "owner_id")
MEMBER.depends_on(CouponUse, "coupon__owner_id")

REWARD_RENDITION = "fill-480x270"


def get_balance(user) -> int:
    return PointsEntry.objects.filter(user=user).aggregate(total=Coalesce(Sum("amount"), 0))["total"]


def list_points_history(user) -> QuerySet:
    return PointsEntry.objects.filter(user=user).select_related("created_by").order_by("-created_at", "-pk")


def list_available_rewards(user) -> QuerySet:
    """Rewards in their active window for the user's audience, with issued counts for the stock."""
    now = timezone.now()
    audiences = [audience for audience in Reward.Audience if audience_allows(audience, user)]
    return (
        Reward.objects.filter(available_from__lte=now, audience__in=audiences, welcome_gift=False)
        .filter(Q(available_until__isnull=True) | Q(available_until__gt=now))
        .select_related("service")
        .prefetch_related(Prefetch(
            "image", queryset=get_image_model().objects.prefetch_renditions(REWARD_RENDITION)))
        .annotate(issued=Count("coupons", filter=Q(coupons__origin=Coupon.Origin.REDEMPTION)))
        .order_by("points_cost", "title")
    )


def _with_uses(qs: QuerySet) -> QuerySet:
    return qs.annotate(used=Count("uses")).annotate(uses_left=F("uses_total") - F("used"))


def list_member_coupons(user) -> QuerySet:
    return _with_uses(Coupon.objects.filter(owner=user)).order_by("-issued_at", "-pk")


def get_coupon(code: str) -> Coupon | None:
    return (
        _with_uses(Coupon.objects.filter(code=code)).select_related("owner").prefetch_related(
            "uses__store").first()
    )


def count_usable_coupons(user) -> tuple:
    """(How many of the member's coupons are usable (not expired, uses left), when that count next
    changes with time: the soonest expiry, or None)."""
    expiries = list(
        _with_uses(Coupon.objects.filter(owner=user, expires_at__gt=timezone.now()))
        .filter(uses_left__gt=0).values_list("expires_at", flat=True)
    )
    return len(expiries), min(expiries, default=None)


def monthly_points_report() -> list[dict]:
    """Points issued (positive lines) and redeemed (redemptions) per calendar month, newest first."""
    return list(
        PointsEntry.objects.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            issued=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
            redeemed=Coalesce(-Sum("amount", filter=Q(reason=PointsEntry.Reason.REDEMPTION)), 0),
            adjusted=Coalesce(Sum("amount", filter=Q(reason=PointsEntry.Reason.ADJUSTMENT)), 0),
        )
        .order_by("-month")
    )


def attendance_per_store_report() -> list[dict]:
    return list(
        Registration.objects.filter(status=Registration.Status.ATTENDED)
        .values(store=F("event__store__title"))
        .annotate(attended=Count("pk"), events=Count("event", distinct=True))
        .order_by("store")
    )
