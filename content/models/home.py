"""The home page: hero, featured tips, latest stories and the store finder."""

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from content.models.base import CARD_FIELDS, RENDITIONS, TendPage
from content.models.stores import StoreIndexPage
from content.models.stories import CaseStudyIndexPage
from content.models.tips import CareTipIndexPage
from portal.caching import page_tree_value

# What a tip card and a store finder row show (not the bodies, the photos, the other page columns).
TIP_CARD = (*CARD_FIELDS, "summary", "cover", "category__name")
FINDER_ROW = (*CARD_FIELDS, "address", "phone", "latitude", "longitude", "time_zone")


class HomePage(TendPage):
    hero_title = models.CharField(_("hero title"), max_length=120, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("hero image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    featured_tips = ParentalManyToManyField(
        "content.CareTipPage", verbose_name=_("featured tips"), blank=True, related_name="+"
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image"),
        FieldPanel("featured_tips"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.sections(request))
        return context

    def sections(self, request) -> dict:
        """The hero image, featured tips (the editor's pick, else the newest), latest stories and the
        store finder, with the section pages they link to. Each is read only when the home page's
        fragment that shows it is not cached (portal.templatetags.page_fragments), and always in a
        preview, which shows the editor's unsaved picks."""
        indexes = SimpleLazyObject(lambda: page_tree_value(f"home-indexes:{self.pk}", lambda: [
            model.objects.child_of(self).live().first()
            for model in (CareTipIndexPage, CaseStudyIndexPage, StoreIndexPage)
        ], request=request))
        tip_index, story_index, store_index = (
            SimpleLazyObject(lambda position=position: indexes[position]) for position in range(3)
        )

        def shown() -> dict:
            # Every image's renditions, the hero's too, in one query.
            picked = list(self.featured_tips.live().select_related("cover", "category")
                          .only(*TIP_CARD)[:3])
            tips = picked or (list(tip_index.tips().prefetch_related(None).only(*TIP_CARD)[:3])
                              if tip_index else [])
            stories = (list(story_index.stories().prefetch_related(None)[:3])
                       if story_index else [])
            hero = self.hero_image
            images = [hero, *(item.cover for item in (*tips, *stories))]
            prefetch_related_objects([image for image in images if image is not None], RENDITIONS)
            return {"hero": hero, "tips": tips, "stories": stories}

        return {
            "sections": SimpleLazyObject(shown),
            "finder_stores": SimpleLazyObject(
                lambda: list(store_index.stores().only(*FINDER_ROW)) if store_index else []),
            "tip_index": tip_index, "story_index": story_index, "store_index": store_index,
        }
