"""Behaviour shared by every app's Wagtail page types."""

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce, Length, Substr
from wagtail.models import Page, PageViewRestriction


class ViewRestrictionsOnce:
    """Every view of a page asks for its view restrictions twice (Wagtail's own check and
    content's refuse_signed_in_outsiders), two queries each in Wagtail: here one query, once per
    page object (a page object lives for one request; admin views that change restrictions build
    their own queries with order_by)."""

    def get_view_restrictions(self):
        if not self.path:
            return super().get_view_restrictions()  # a page not yet in the tree (preview)
        if getattr(self, "_view_restrictions", None) is None:
            paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
            # The page and its ancestors; an alias has its source's restrictions (Wagtail's rule;
            # an alias always points at a page that is not itself an alias).
            sources = Page.objects.filter(path__in=paths).values(source=Coalesce("alias_of_id", "id"))
            self._view_restrictions = PageViewRestriction.objects.filter(page_id__in=sources)
        return self._view_restrictions


class PublicAddress:
    """A page's absolute address (canonical, og:url, sitemap, feeds, the admin's "live" link) starts
    with SITE_URL while the tree has one site: the Site row's hostname and port (localhost:80 as
    Wagtail's migration makes it) need not match the address the public uses."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        if not parts or parts[1] is None:
            return parts
        if len({root.site_id for root in self._get_site_root_paths(request)}) != 1:
            return parts
        return parts[0], settings.SITE_URL, parts[2]


class ContextReader:
    """A page whose template shows more than its own fields (a visitor's registration, seats left):
    `context_reader(request, page) -> dict` adds the rest to get_context. The reader queries through
    selectors, services and forms that import the page models, so the models cannot name it; the app's
    ready() attaches it, as it registers its slots (events.pages.register)."""

    context_reader = None

    @classmethod
    def read_context_with(cls, reader) -> None:
        cls.context_reader = staticmethod(reader)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.context_reader(request, self))
        return context


def public(pages: QuerySet) -> QuerySet:
    """Wagtail's `pages.public()` inside the same query: Wagtail first reads every view restriction
    with its page (a query of ~35 columns) to build the filter. A page is private when it or an
    ancestor has a restriction, that is when a restricted page's path begins its own."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return pages.exclude(Exists(restricted))
