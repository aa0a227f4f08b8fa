import datetime
import zoneinfo

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import LessonBlock, TimelineBlock, body_blocks, story_blocks
from portal.cache import page_tree_value
from portal.models import ProviderTier
from portal.pages import PublicAddress, ViewRestrictionsOnce

PER_PAGE = 12
RENDITIONS = "renditions"


def paginate(request, queryset):
    """One page of an index: 12 items, a bad page number shows the first page."""
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def with_cover(queryset, field="cover"):
    """Each page's image and its renditions: two queries however many pages. The pages' own reads
    stand beside their models; content/selectors.py holds what other apps ask."""
    return queryset.select_related(field).prefetch_related(f"{field}__{RENDITIONS}")


def stream_text(value) -> str:
    """Every string inside a StreamField's raw data, tags stripped: for reading time and search."""
    parts = []

    def walk(node):
        if isinstance(node, str):
            parts.append(strip_tags(node))
        elif isinstance(node, dict):
            for key, item in node.items():
                if key not in ("type", "id"):
                    walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(list(value.raw_data) if value is not None else [])
    return " ".join(part for part in parts if part)


def reading_minutes(text: str) -> int:
    """About 400 CJK characters or 200 English words a minute; at least one minute."""
    cjk = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    words = len(text.split())
    return max(1, round(cjk / 400 + words / 200))


# --- Snippets -----------------------------------------------------------------------------------


@register_snippet
class Persona(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icon"), max_length=8, blank=True, help_text=_("An emoji or symbol."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("icon")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self):
        return self.name


@register_snippet
class ServiceCategory(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self):
        return self.name


# --- Shared page behaviour ----------------------------------------------------------------------


class TendPage(PublicAddress, ViewRestrictionsOnce, Page):
    """Breadcrumbs and share metadata for every content page."""

    class Meta:
        abstract = True

    def share_image(self):
        return getattr(self, "cover", None) or getattr(self, "photo", None)

    def share_description(self) -> str:
        return self.search_description or getattr(self, "summary", "") or getattr(self, "intro", "")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The home page (depth 2) has no crumbs above it: no query.
        context["breadcrumbs"] = SimpleLazyObject(lambda: list(
            self.get_ancestors().filter(depth__gt=1).specific(defer=True) if self.depth > 2 else []
        ))
        return context


# --- Home ---------------------------------------------------------------------------------------


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
        context.update(self.sections())
        return context

    def sections(self) -> dict:
        """Featured tips (the editor's pick, else the newest), latest stories and the store finder, with
        the section pages they link to. Each is read only when the home page's fragment that shows it is
        not cached (portal.templatetags.page_fragments), and always in a preview, which shows the editor's
        unsaved picks."""
        indexes = SimpleLazyObject(lambda: page_tree_value(f"home-indexes:{self.pk}", lambda: [
            model.objects.child_of(self).live().first()
            for model in (CareTipIndexPage, CaseStudyIndexPage, StoreIndexPage)
        ]))
        tip_index, story_index, store_index = (
            SimpleLazyObject(lambda position=position: indexes[position]) for position in range(3)
        )

        def featured_tips():
            picked = list(with_cover(self.featured_tips.live()).select_related("category")[:3])
            return picked or (list(tip_index.tips()[:3]) if tip_index else [])

        return {
            "featured_tips": SimpleLazyObject(featured_tips),
            "latest_stories": SimpleLazyObject(
                lambda: list(story_index.stories()[:3]) if story_index else []),
            "finder_stores": SimpleLazyObject(
                lambda: list(store_index.stores()) if store_index else []),
            "tip_index": tip_index, "story_index": story_index, "store_index": store_index,
        }


class StandardPage(TendPage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(body_blocks(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class BrandStoryPage(TendPage):
    intro = models.TextField(_("introduction"), blank=True)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    timeline = StreamField(
        [("timeline", TimelineBlock(label=_("timeline")))], verbose_name=_("timeline"), blank=True
    )
    body = StreamField(body_blocks(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"), FieldPanel("cover"), FieldPanel("timeline"), FieldPanel("body"),
    ]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("brand story")


class IndexPage(TendPage):
    """A section's one landing page under home: an introduction over its children, 12 to a page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    max_count = 1

    class Meta:
        abstract = True

    def list_items(self, request):
        """The children this request lists (filters come from its query string)."""
        raise NotImplementedError

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy (so are the subclasses' filter lists): a cached card grid reads nothing
        # (portal.templatetags.page_fragments).
        context["items"] = SimpleLazyObject(lambda: paginate(request, self.list_items(request)))
        return context


# --- Care tips ----------------------------------------------------------------------------------


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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy, not even a queryset built: read only when the page's fragment is not cached
        # (portal.templatetags.page_fragments).
        context["related"] = SimpleLazyObject(lambda: list(
            with_cover(self.related_tips.live()).select_related("category")[:3]))
        context["tags"] = SimpleLazyObject(lambda: list(self.tags.all()))
        return context


# --- Stores -------------------------------------------------------------------------------------


class StoreIndexPage(IndexPage):
    subpage_types = ["content.StorePage"]

    class Meta:
        verbose_name = _("store index")

    def list_items(self, request):
        return self.stores()

    def stores(self):
        return (
            with_cover(StorePage.objects.child_of(self).live())
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


# --- Practitioners ------------------------------------------------------------------------------


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


# --- Case studies -------------------------------------------------------------------------------


class CaseStudyIndexPage(IndexPage):
    subpage_types = ["content.CaseStudyPage"]

    class Meta:
        verbose_name = _("story index")

    def list_items(self, request):
        return self.stories(persona=request.GET.get("persona", ""), category=request.GET.get("category", ""))

    def stories(self, *, persona: str = "", category: str = ""):
        # A story card shows neither the body nor the store: the bodies were most of each row's bytes
        # and JSON to decode, and the store a join of another page model's ~40 columns.
        stories = CaseStudyPage.objects.child_of(self).live().select_related(
            "persona", "category"
        ).defer("body")
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


# --- Training courses ---------------------------------------------------------------------------


class TrainingCourseIndexPage(IndexPage):
    subpage_types = ["content.TrainingCoursePage"]

    class Meta:
        verbose_name = _("training course index")

    def list_items(self, request):
        return with_cover(
            TrainingCoursePage.objects.child_of(self).live().select_related("category")
        ).order_by("title")


class TrainingCoursePage(TendPage):
    summary = models.CharField(_("summary"), max_length=255)
    cover = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    category = models.ForeignKey(ServiceCategory, verbose_name=_("service category"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="courses")
    lessons = StreamField([("lesson", LessonBlock(label=_("lesson")))],
                          verbose_name=_("lessons"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"), FieldPanel("cover"), FieldPanel("category"), FieldPanel("lessons"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["content.TrainingCourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")


# --- Search -------------------------------------------------------------------------------------


class SearchText(models.Model):
    """The searchable text of one live page, kept as plain text so Chinese matches by substring
    on SQLite and PostgreSQL alike (see content/search.py)."""

    page = models.OneToOneField(Page, primary_key=True, on_delete=models.CASCADE,
                                related_name="+")
    text = models.TextField()

    def __str__(self):
        return f"search text of page {self.page_id}"
