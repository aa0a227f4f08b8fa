from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("hero_title"), FieldPanel("hero_text")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")


class StoreIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.StorePage"]
    max_count = 1

    class Meta:
        verbose_name = _("store index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stores"] = StorePage.objects.child_of(self).live().order_by("title")
        return context


class StorePage(Page):
    """One physical store: its page, staff and events."""

    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Taipei")
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("time_zone"),
    ]
    parent_page_types = ["content.StoreIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
