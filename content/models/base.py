"""What every content page shares: the snippets they are filed under (personas, service categories),
the base page types (breadcrumbs and share data; an index's paginated children), standard pages and
the brand story, search text, and the helpers for reading time and card images."""

from django.core.paginator import Page as PageOfItems
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Window, prefetch_related_objects
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.blocks.list_block import ListValue
from wagtail.blocks.stream_block import StreamValue
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from content.blocks import TimelineBlock, body_blocks
from portal.pages import PublicAddress, ViewRestrictionsOnce

PER_PAGE = 12
# Past this page number (a made-up address) Django's paginator counts first: an OFFSET the database takes.
LAST_PAGE_READ_AT_ONCE = 100_000
RENDITIONS = "renditions"
# The page columns a card or a breadcrumb shows and links with ({% pageurl %}).
CARD_FIELDS = ("title", "url_path", "path", "depth")


def paginate(request, queryset):
    """One page of an index: 12 items, a bad page number shows the first page (one past the end,
    the last). One query: each row carries the total (a window count), so Django's paginator needs
    no COUNT unless the page asked for is empty."""
    paginator = Paginator(queryset, PER_PAGE)
    asked = request.GET.get("page") or "1"
    number = int(asked) if asked.isdecimal() else 0
    if 1 <= number <= LAST_PAGE_READ_AT_ONCE:
        rows = list(queryset.annotate(listed_total=Window(Count("pk")))
                    [(number - 1) * PER_PAGE:number * PER_PAGE])
        if rows:
            paginator.count = rows[0].listed_total
            return PageOfItems(rows, number, paginator)
    return paginator.get_page(asked)


def with_cover(queryset, field="cover"):
    """Each page's image and its renditions: two queries however many pages. The pages' own reads
    stand beside their models; content/selectors.py holds what other apps ask."""
    return queryset.select_related(field).prefetch_related(f"{field}__{RENDITIONS}")


def stream_images(value) -> list:
    """Every image chosen in a StreamField's blocks; converting them keeps them on the value, so the
    page renders these same objects."""
    found = []

    def walk(node):
        if isinstance(node, AbstractImage):
            found.append(node)
        elif isinstance(node, StreamValue):
            for child in node:
                walk(child.value)
        elif isinstance(node, dict):  # a StructBlock's value
            for item in node.values():
                walk(item)
        elif isinstance(node, (ListValue, list, tuple)):
            for item in node:
                walk(item)

    walk(value)
    return found


def with_renditions(*images) -> None:
    """The renditions of all these images in one query. Else Wagtail reads each image's renditions
    from the cache and, found or not, writes them back: two round trips per image and template tag."""
    prefetch_related_objects([image for image in images if image is not None], RENDITIONS)


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
        # Plain pages: a crumb shows its title and links to its address, both the page's own columns.
        context["breadcrumbs"] = SimpleLazyObject(lambda: list(
            self.get_ancestors().filter(depth__gt=1).only(*CARD_FIELDS) if self.depth > 2 else []
        ))
        return context


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


class SearchText(models.Model):
    """The searchable text of one live page, kept as plain text so Chinese matches by substring
    on SQLite and PostgreSQL alike (see content/search.py)."""

    page = models.OneToOneField(Page, primary_key=True, on_delete=models.CASCADE,
                                related_name="+")
    text = models.TextField()

    def __str__(self):
        return f"search text of page {self.page_id}"
