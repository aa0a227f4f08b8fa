import secrets
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from content.models import StorePage
from portal.caching import CachedManager
from portal.pages import ContextReader, PublicAddress, ViewRestrictionsOnce
from portal.private_media import PrivateUploadTo, private_storage

# How long before an event's start its tickets can be checked in (events.services.check_in_attendee).
CHECK_IN_OPENS_BEFORE = timedelta(hours=3)
# Seats are held by these statuses: an attendee or a no-show kept their seat until the end.
SEAT_STATUSES = ("confirmed", "attended", "no_show")


def new_ticket_code() -> str:
    # 18 random bytes: 144 bits, 24 URL-safe characters; cannot be guessed or enumerated.
    return secrets.token_urlsafe(18)


class EventIndexPage(ContextReader, PublicAddress, ViewRestrictionsOnce, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("event index")


class EventPage(ContextReader, PublicAddress, ViewRestrictionsOnce, Page):
    """An event at one store: capacity, registration window and audience guard registrations."""

    class Kind(models.TextChoices):
        EXPERIENCE_DAY = "experience_day", _("Experience day")
        MEETUP = "meetup", _("Interaction meetup")
        BETA_TEST = "beta_test", _("New-service beta test")
        GATHERING = "gathering", _("Member gathering")
        TRAINING = "training", _("Provider training")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members")
        PROVIDERS = "providers", _("Providers only")
        SIGNED_IN = "signed_in", _("Everyone signed in")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXPERIENCE_DAY)
    store = models.ForeignKey(
        "content.StorePage", verbose_name=_("store"), on_delete=models.PROTECT, related_name="events"
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    registration_opens = models.DateTimeField(_("registration opens"), default=timezone.now)
    registration_closes = models.DateTimeField(_("registration closes"))
    cancellation_deadline = models.DateTimeField(_("cancellation deadline"))
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    reward_points = models.PositiveIntegerField(_("reward points for attending"), default=0)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    description = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
            ("image", ImageBlock()),
        ],
        verbose_name=_("description"),
        blank=True,
    )
    practitioners = ParentalManyToManyField(
        "content.PractitionerPage", verbose_name=_("practitioners taking part"), blank=True,
        related_name="events",
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("store"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldPanel("cancellation_deadline"),
                FieldPanel("reward_points"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("practitioners"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_ends_after_start"),
        ]

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The event must end after it starts.")})
        if self.pk:
            taken = self.registrations.filter(status__in=SEAT_STATUSES).count()
            if self.capacity < taken:
                raise ValidationError(
                    {"capacity": ngettext(
                        "%(taken)s seat is already confirmed: the capacity cannot be lower.",
                        "%(taken)s seats are already confirmed: the capacity cannot be lower.", taken)
                     % {"taken": taken}}
                )

    @cached_property
    def venue(self):
        """The store as an event shows it (name, link, address, time zone), read with those columns
        only when not read with the event: its page row is ~40 columns with photos and intro. Kept
        as the event's store."""
        if not EventPage.store.is_cached(self):
            self.store = StorePage.objects.only("title", "url_path", "address", "time_zone").get(
                pk=self.store_id)
        return self.store

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.venue.time_zone or settings.TIME_ZONE)

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.tz)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.tz)

    @property
    def has_ended(self) -> bool:
        return self.end <= timezone.now()

    def share_image(self):
        return self.cover_image

    def share_description(self) -> str:
        """What a shared link and a search result say: the event's own words, else when and where."""
        return self.search_description or self.summary or (
            f"{self.get_kind_display()} · {self.venue.title} · {self.local_start:%Y-%m-%d %H:%M}")

    @property
    def check_in_opens(self):
        """Doors open CHECK_IN_OPENS_BEFORE the start: a ticket scanned days early is a mistake."""
        return self.start - CHECK_IN_OPENS_BEFORE

    @property
    def local_check_in_opens(self):
        return timezone.localtime(self.check_in_opens, self.tz)


class Registration(models.Model):
    """One member's place at one event: confirmed (with a ticket), waitlisted or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    # FIFO order of the waitlist: the time the member (re)joined it.
    queued_at = models.DateTimeField(default=timezone.now)
    ticket_code = models.CharField(max_length=40, unique=True, null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_registration_per_member"),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="registration_queue")]

    def __str__(self):
        return f"{self.member} @ {self.event_id}: {self.status}"


class CheckIn(models.Model):
    """Attendance at the door; one per registration, so a second scan changes nothing."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="check_in"
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"check-in {self.registration_id} at {self.checked_in_at:%H:%M}"


class EventPhoto(models.Model):
    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="photos")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_photos"
    )
    # Private (portal.private_media): a photo waits unseen until a moderator approves it.
    image = models.ImageField(_("photo"), upload_to=PrivateUploadTo("event-photos"),
                              storage=private_storage, db_index=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CachedManager()  # cached pages depend on it (portal.caching)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"photo {self.pk} of event {self.event_id}"


class EventRating(models.Model):
    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="ratings")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_ratings"
    )
    score = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_rating_per_member"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.score}/5 for event {self.event_id}"


# Rewards live in their own package; importing it here registers its models with the app.
from events.rewards.models import Coupon, CouponUse, PointsEntry, ReviewScore, Reward  # noqa: E402,F401
