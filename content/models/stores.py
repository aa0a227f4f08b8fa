"""Stores, their opening hours and their index (the store finder)."""

import datetime
import zoneinfo

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.models.base import IndexPage, TendPage, with_cover


class StoreIndexPage(IndexPage):
    subpage_types = ["content.StorePage"]

    class Meta:
        verbose_name = _("store index")

    def list_items(self, request):
        return with_cover(self.stores())

    def stores(self):
        """Live stores by title, with their opening hours (open now or not)."""
        return (
            StorePage.objects.child_of(self).live()
            .prefetch_related(Prefetch("opening_hours", OpeningHours.objects.order_by("weekday")))
            .order_by("title")
        )


class StorePage(TendPage):
    """One physical store: its page, staff and events."""

    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Taipei")
    intro = models.TextField(_("introduction"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    photos = StreamField(
        [("photo", ImageChooserBlock(label=_("photo")))],
        verbose_name=_("photos"), blank=True,
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("time_zone"),
        MultiFieldPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("location")),
        FieldPanel("cover"),
        FieldPanel("photos"),
        InlinePanel("opening_hours", label=_("opening hours")),
    ]
    search_fields = Page.search_fields + [index.SearchField("address")]
    parent_page_types = ["content.StoreIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Open at `moment` in the store's own time zone; a slot closing before it opens runs past
        midnight into the next day."""
        local = moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))
        day, now = local.weekday(), local.time()
        for slot in self.opening_hours.all():
            overnight = slot.closes <= slot.opens
            if slot.weekday == day and slot.opens <= now and (overnight or now < slot.closes):
                return True
            if overnight and slot.weekday == (day - 1) % 7 and now < slot.closes:
                return True
        return False

    def open_now(self) -> bool:
        return self.is_open_at(timezone.now())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update({
            "hours": week_hours(self.opening_hours.all()),
            "is_open": self.open_now(),
            "staff": list(
                with_cover(self.practitioners.live(), "photo").select_related("user").order_by("title")
            ),
            "store_stories": list(with_cover(self.stories.live()).order_by("-first_published_at")[:6]),
        })
        return context


class OpeningHours(Orderable):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    store = ParentalKey(StorePage, related_name="opening_hours", on_delete=models.CASCADE)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]

    class Meta(Orderable.Meta):
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")


def week_hours(slots) -> list[dict]:
    """Every day of the week from Monday, each with its slots in order (`day`, `slots`): a day
    without any is shown as closed, never left out. Empty when the store gives no hours at all."""
    slots = sorted(slots, key=lambda slot: (slot.weekday, slot.opens))
    if not slots:
        return []
    return [{"day": label, "slots": [slot for slot in slots if slot.weekday == weekday]}
            for weekday, label in OpeningHours.Weekday.choices]
