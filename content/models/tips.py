"""Care tips and their index."""

from django.db import models
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import body_blocks
from content.models.base import (
    CARD_FIELDS,
    IndexPage,
    ServiceCategory,
    TendPage,
    reading_minutes,
    stream_images,
    stream_text,
    with_cover,
    with_renditions,
)


class CareTipIndexPage(IndexPage):
    subpage_types = ["content.CareTipPage"]

    class Meta:
        verbose_name = _("care tip index")

    def list_items(self, request):
        return self.tips(category=request.GET.get("category", ""))

    def tips(self, *, category: str = ""):
        tips = CareTipPage.objects.child_of(self).live().select_related("category")
        if category:
            tips = tips.filter(category__slug=category)
        return with_cover(tips).order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = ServiceCategory.objects.all()
        context["active_category"] = request.GET.get("category", "")
        return context


class CareTipTag(TaggedItemBase):
    content_object = ParentalKey("content.CareTipPage", related_name="tagged_items",
                                 on_delete=models.CASCADE)


class CareTipPage(TendPage):
    summary = models.CharField(_("summary"), max_length=255)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("service category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="tips",
    )
    tags = ClusterTaggableManager(through=CareTipTag, blank=True)
    body = StreamField(body_blocks(), verbose_name=_("body"), blank=True)
    related_tips = ParentalManyToManyField(
        "self", verbose_name=_("related tips"), blank=True, symmetrical=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("cover"), FieldPanel("category"), FieldPanel("tags"),
        FieldPanel("body"), FieldPanel("related_tips"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["content.CareTipIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("care tip")
        verbose_name_plural = _("care tips")

    @cached_property
    def reading_time(self) -> int:
        return reading_minutes(f"{self.summary} {stream_text(self.body)}")

    @cached_property
    def _cover(self):
        cover = self.cover
        with_renditions(cover, *stream_images(self.body))
        return cover

    def share_image(self):
        """The cover, with the renditions of every image the tip shows (the cover's in the head and
        the article, the body's): one query, read when the first fragment that shows one renders."""
        return self._cover

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy, not even a queryset built: read only when the page's fragment is not cached
        # (portal.templatetags.page_fragments).
        context["related"] = SimpleLazyObject(lambda: list(
            with_cover(self.related_tips.live()).select_related("category")
            .only(*CARD_FIELDS, "summary", "cover", "category__name")[:3]))
        context["tags"] = SimpleLazyObject(lambda: list(self.tags.all()))
        return context
