"""Rewards: the append-only points ledger, the catalogue, members' coupons and service cards, their uses."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.caching import CachedManager

# Coupon codes start with a dot-separated prefix: "." is not in the token_urlsafe alphabet of ticket codes,
# so the check-in page tells a coupon from a ticket without a lookup.
COUPON_PREFIX = "C."


def new_coupon_code() -> str:
    # 144 random bits like tickets: unguessable and not enumerable.
    return COUPON_PREFIX + secrets.token_urlsafe(18)


class PointsEntry(models.Model):
    """One line of a member's ledger. Never updated or deleted: the balance is the sum of the lines."""

    class Reason(models.TextChoices):
        ATTENDANCE = "attendance", _("Attended an event")
        FIRST_ATTENDANCE = "first_attendance", _("First event bonus")
        REFERRAL = "referral", _("Referral bonus")
        REVIEW = "review", _("Service review")
        REDEMPTION = "redemption", _("Reward redeemed")
        ADJUSTMENT = "adjustment", _("Adjustment by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_entries"
    )
    amount = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    # What earned or spent the points ("registration", "review", "user", "coupon"); with source_id it is the
    # idempotency key: a retried check-in, a double scan or a re-run job finds the line already there.
    source_type = models.CharField(max_length=20, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reason", "source_type", "source_id"],
                condition=Q(source_id__isnull=False),
                name="points_awarded_once",
            ),
            models.CheckConstraint(condition=~Q(amount=0), name="points_entry_not_zero"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="points_history")]

    def __str__(self):
        return f"{self.amount:+d} {self.reason} for {self.user_id}"


class Reward(models.Model):
    """An item of the catalogue that members (or providers) buy with points."""

    class Kind(models.TextChoices):
        COUPON = "coupon", _("Coupon")
        SERVICE_CARD = "service_card", _("Service card")
        GIFT = "gift", _("Gift")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members")
        PROVIDERS = "providers", _("Providers")
        ALL = "all", _("Everyone")

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COUPON)
    service = models.ForeignKey(
        "content.ServiceCategory", verbose_name=_("service"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    percent_off = models.PositiveSmallIntegerField(_("percent off"), null=True, blank=True)
    amount_off = models.DecimalField(_("amount off"), max_digits=8, decimal_places=2, null=True, blank=True)
    uses = models.PositiveSmallIntegerField(
        _("uses"), default=1, help_text=_("How many times a service card can be used.")
    )
    points_cost = models.PositiveIntegerField(_("points cost"))
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("How many can be redeemed in all; empty for no limit.")
    )
    validity_days = models.PositiveIntegerField(_("valid for (days)"), default=90)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.MEMBERS)
    available_from = models.DateTimeField(_("available from"), default=timezone.now)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    welcome_gift = models.BooleanField(
        _("welcome gift"), default=False,
        help_text=_("Given free, once, to every member who verifies an e-mail address."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("service"),
             FieldRowPanel([FieldPanel("percent_off"), FieldPanel("amount_off")]), FieldPanel("uses")],
            heading=_("What the member gets"),
        ),
        MultiFieldPanel(
            [FieldPanel("points_cost"), FieldPanel("stock"), FieldPanel("validity_days"),
             FieldPanel("audience"),
             FieldRowPanel([FieldPanel("available_from"), FieldPanel("available_until")]),
             FieldPanel("welcome_gift")],
            heading=_("Redemption"),
        ),
    ]

    class Meta:
        ordering = ["points_cost", "title"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_off__isnull=True) | Q(percent_off__range=(1, 100)),
                name="reward_percent_1_to_100",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.COUPON and (self.percent_off is None) == (self.amount_off is None):
            raise ValidationError(_("A coupon takes either a percentage or an amount off, not both."))
        if self.kind == self.Kind.SERVICE_CARD and self.uses < 1:
            raise ValidationError({"uses": _("A service card needs at least one use.")})
        if self.available_until and self.available_until <= self.available_from:
            raise ValidationError({"available_until": _("The end must come after the start.")})

    def is_available(self, now=None) -> bool:
        now = now or timezone.now()
        return self.available_from <= now and (self.available_until is None or now < self.available_until)


class Coupon(models.Model):
    """A member's voucher: a coupon (used once), a service card (N uses) or a gift, with an unguessable code.

    What it is worth is copied from the reward when issued, so editing the catalogue never changes a
    voucher a member already holds.
    """

    class Origin(models.TextChoices):
        REDEMPTION = "redemption", _("Redeemed with points")
        WELCOME = "welcome", _("Welcome gift")

    code = models.CharField(max_length=40, unique=True, default=new_coupon_code)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coupons")
    reward = models.ForeignKey(Reward, null=True, on_delete=models.SET_NULL, related_name="coupons")
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.REDEMPTION)
    kind = models.CharField(max_length=20, choices=Reward.Kind.choices)
    title = models.CharField(max_length=120)
    service_name = models.CharField(max_length=80, blank=True)
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_off = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    uses_total = models.PositiveSmallIntegerField(default=1)
    points_spent = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(origin="welcome"), name="one_welcome_coupon"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    @classmethod
    def from_reward(cls, reward: Reward, owner, *, origin: str, now=None) -> "Coupon":
        now = now or timezone.now()
        return cls(
            owner=owner, reward=reward, origin=origin, kind=reward.kind, title=reward.title,
            service_name=reward.service.name if reward.service else "",
            percent_off=reward.percent_off, amount_off=reward.amount_off,
            uses_total=reward.uses if reward.kind == Reward.Kind.SERVICE_CARD else 1,
            points_spent=0 if origin == cls.Origin.WELCOME else reward.points_cost,
            issued_at=now, expires_at=now + timedelta(days=reward.validity_days),
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class CouponUse(models.Model):
    """One use of a coupon at a store. The scan id of the check-in form makes a double submit count once."""

    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="uses")
    store = models.ForeignKey("content.StorePage", null=True, on_delete=models.SET_NULL, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    scan_id = models.CharField(max_length=40)
    used_at = models.DateTimeField(default=timezone.now)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["used_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["coupon", "scan_id"], name="one_use_per_scan"),
        ]

    def __str__(self):
        return f"use of {self.coupon_id} at {self.used_at:%Y-%m-%d %H:%M}"


class ReviewScore(models.Model):
    """A published service review as rewards see it: its store and mean score, for provider tiers."""

    review_id = models.PositiveBigIntegerField(unique=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    store = models.ForeignKey("content.StorePage", on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(max_digits=3, decimal_places=2)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"review {self.review_id}: {self.score}"
