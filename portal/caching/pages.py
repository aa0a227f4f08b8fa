"""Anonymous full-page cache for Wagtail pages.

Served only to GET/HEAD requests that carry no session and no messages cookie (so no signed-in
user, no flash message), stored only when the page rendered for an anonymous user, answered 200 and
set no cookie. Keyed by host, full path and language. Every page has a form (the language switcher):
the stored copy keeps a placeholder where the CSRF token was, and each hit gets the visitor's own
token (CsrfViewMiddleware, just before this one, then sets the visitor's cookie).

Freshness: publishing, unpublishing, moving or deleting any page starts a new cache generation (a
token: a generation lost from the cache comes back new, never as an old one), so edited content
shows at once. Blocks fed by other apps (seats left, busy topics, review averages)
may lag by up to PAGE_CACHE_SECONDS (60 s): event pages update their seats live over WebSocket.
"""

import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from portal.caching.keys import Key

KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy",
                "Cross-Origin-Opener-Policy", "X-Content-Type-Options")

# The page tree's generation: every cached page, route, fragment and page-tree value is keyed by it.
# Dropped now and again after commit: a request between the change and the commit would otherwise
# cache the old page again. Pages, sites and what a page shows that must not lag (a moderator's
# decision: community and events declare theirs) drop it; see connect() below.
GENERATION = Key("page-cache:generation")
GENERATION_KEY = GENERATION()


def new_generation() -> None:
    """Drop every cached page at once (old keys expire on their own)."""
    GENERATION.drop()


def generation(request=None) -> int:
    """The current page-tree generation; read once per request when given the request (a page
    asks for it for its route and each of its fragments)."""
    known = getattr(request, "_page_generation", None)
    if known is None:
        known = cache.get_or_set(GENERATION_KEY, time.time_ns, None)
        if request is not None:
            request._page_generation = known
    return known


def page_tree_key(name: str, request=None) -> str:
    """A key for a value read from the page tree (e.g. where the event index is), dropped when any
    page is published, unpublished, moved or deleted: the same generation as the cached pages."""
    return f"page-tree:{generation(request)}:{name}"


def page_tree_value(name: str, compute, seconds: int = 3600):
    return cache.get_or_set(page_tree_key(name), compute, seconds)


def _live_page_created(instance, created, **kwargs):
    """A page added already live (add_child in code, imports, demo data) sends no page_published."""
    from wagtail.models import Page

    return () if created and isinstance(instance, Page) and instance.live else None


def connect() -> None:
    """The page tree's writes (called from PortalConfig.ready)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        GENERATION.drops_on(signal)
    GENERATION.drops_on(post_delete, sender=Page)
    # Routes keep the site they were found for (portal.views.serve).
    GENERATION.depends_on(Site, signals_only=True)
    GENERATION.drops_on(post_save, _live_page_created)


def _key(request) -> str | None:
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if settings.BENCH and request.headers.get("X-Tend-Bench-Bypass"):
        return None  # `make bench` measures what rendering costs
    return (f"page:{generation(request)}:{get_language()}:{request.get_host()}:"
            f"{request.get_full_path()}")


def _cacheable(request, response) -> bool:
    match = request.resolver_match
    user = getattr(request, "user", None)
    return (
        match is not None and match.url_name == "wagtail_serve"
        and response.status_code == 200 and not response.streaming and not response.cookies
        and (user is None or not user.is_authenticated)
    )


TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = rb"\1@@csrf@@\2"


class AnonymousPageCacheMiddleware:
    """After CSRF, before authentication: a hit costs one cache read and no database query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            token = get_token(request).encode()
            response = HttpResponse(content.replace(b"@@csrf@@", token), headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable(request, response):
            content = TOKEN.sub(PLACEHOLDER, response.content)
            cache.set(key, (content, {h: response[h] for h in KEPT_HEADERS if h in response}),
                      settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
