"""Practitioners and their index."""

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from content.models.base import IndexPage, ServiceCategory, TendPage, with_cover
from content.models.stores import StorePage
from portal.models import ProviderTier


class PractitionerIndexPage(IndexPage):
    subpage_types = ["content.PractitionerPage"]

    class Meta:
        verbose_name = _("practitioner index")

    def list_items(self, request):
        return (
            with_cover(PractitionerPage.objects.child_of(self).live(), "photo")
            .select_related("user")
            .prefetch_related("specialties", Prefetch("stores", StorePage.objects.live()))
            .order_by("title")
        )


class PractitionerPage(TendPage):
    user = models.OneToOneField(
        "portal.User", verbose_name=_("provider account"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="practitioner_page",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    summary = models.CharField(_("one-line introduction"), max_length=255, blank=True)
    specialties = ParentalManyToManyField(ServiceCategory, verbose_name=_("specialties"),
                                          blank=True, related_name="practitioners")
    stores = ParentalManyToManyField(StorePage, verbose_name=_("stores"), blank=True,
                                     related_name="practitioners")
    tier = models.CharField(
        _("tier"), max_length=10, choices=ProviderTier.choices, default=ProviderTier.STANDARD,
        help_text=_("Shown until the linked provider account earns a tier from trainings and reviews."),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("user"), FieldPanel("photo"), FieldPanel("summary"), FieldPanel("tier"),
        FieldPanel("specialties"), FieldPanel("stores"), FieldPanel("bio"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["content.PractitionerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")

    @property
    def shown_tier(self) -> ProviderTier:
        """The tier the linked account earned (trainings, reviews) outranks the editor's setting,
        which only stands in for practitioners without an account or without a tier yet."""
        earned = self.user.provider_tier if self.user_id else ""
        return ProviderTier(earned or self.tier)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = list(
            with_cover(self.stories.live().select_related("persona")).order_by("-first_published_at")[:12]
        )
        context["specialties"] = list(self.specialties.all())
        context["stores"] = list(self.stores.live().order_by("title"))
        return context
