"""Customer stories (case studies) and their index, filtered by persona and service category."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import story_blocks
from content.models.base import CARD_FIELDS, IndexPage, Persona, ServiceCategory, TendPage, with_cover
from content.models.practitioners import PractitionerPage
from content.models.stores import StorePage


class CaseStudyIndexPage(IndexPage):
    subpage_types = ["content.CaseStudyPage"]

    class Meta:
        verbose_name = _("story index")

    def list_items(self, request):
        return self.stories(persona=request.GET.get("persona", ""), category=request.GET.get("category", ""))

    def stories(self, *, persona: str = "", category: str = ""):
        # Only what a story card shows (content/includes/card.html): the bodies were most of each
        # row's bytes and JSON to decode, and the other page columns a third of the query's time.
        stories = CaseStudyPage.objects.child_of(self).live().select_related("persona").only(
            *CARD_FIELDS, "summary", "scene", "cover", "persona__name")
        if persona:
            stories = stories.filter(persona__slug=persona)
        if category:
            stories = stories.filter(category__slug=category)
        return with_cover(stories).order_by("-first_published_at", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        persona = request.GET.get("persona", "")
        category = request.GET.get("category", "")
        context.update(
            personas=Persona.objects.all(),
            categories=ServiceCategory.objects.all(),
            active_persona=persona,
            active_category=category,
            query_string="&".join(
                f"{key}={value}" for key, value in (("persona", persona), ("category", category))
                if value
            ),
        )
        return context


class CaseStudyPage(TendPage):
    class Scene(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        IN_STORE = "in_store", _("In store")
        PRIVATE_PARTY = "private_party", _("Private party")
        FAMILY = "family", _("Family")

    summary = models.CharField(_("summary"), max_length=255)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    persona = models.ForeignKey(Persona, verbose_name=_("persona"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="stories")
    category = models.ForeignKey(ServiceCategory, verbose_name=_("service category"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="stories")
    scene = models.CharField(_("service scene"), max_length=20, choices=Scene.choices,
                             default=Scene.IN_STORE)
    store = models.ForeignKey(StorePage, verbose_name=_("store"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="stories")
    practitioners = ParentalManyToManyField(PractitionerPage, verbose_name=_("practitioners"),
                                            blank=True, related_name="stories")
    body = StreamField(story_blocks(), verbose_name=_("body"), blank=True)
    quote = models.TextField(_("customer quote"), blank=True)
    quote_by = models.CharField(_("quoted customer"), max_length=80, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("cover"), FieldPanel("persona"), FieldPanel("category"),
        FieldPanel("scene"), FieldPanel("store"), FieldPanel("practitioners"),
        FieldPanel("body"), MultiFieldPanel([FieldPanel("quote"), FieldPanel("quote_by")],
                                            heading=_("customer quote")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["content.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("customer story")
        verbose_name_plural = _("customer stories")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["story_practitioners"] = self.practitioners.live().order_by("title")
        return context
