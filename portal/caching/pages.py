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
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

from portal.caching.keys import Key

KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy",
                "Cross-Origin-Opener-Policy", "X-Content-Type-Options")

# The page tree's generation: every cached page, route and page-tree value is kept beside it (read()),
# fragments are keyed by it.
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
    return read(request)[0]


def with_generation(request, keys) -> tuple[int, dict]:
    """The generation and the values stored under `keys` as they are, read in one round trip (the
    generation only when the request has not read it yet; then kept on the request)."""
    known = getattr(request, "_page_generation", None)
    wanted = [*keys] if known is not None else [GENERATION_KEY, *keys]
    found = cache.get_many(wanted) if wanted else {}
    if known is None:
        known = found.pop(GENERATION_KEY, None)
        if known is None:  # first read, or dropped: a new token (never an old one back)
            known = cache.get_or_set(GENERATION_KEY, time.time_ns, None)
        if request is not None:
            request._page_generation = known
    return known, found


def read(request=None, *keys: str) -> tuple[int, dict]:
    """The generation and the page-tree values stored under `keys` for it, in one cache round trip
    (none when the request knows the generation and no key is asked for). Values are kept beside the
    generation they were made in (`store`): one made in an older generation reads as missing, as a
    key naming the generation would, without a read of the generation before the read of the value."""
    known, found = with_generation(request, keys)
    return known, {key: value[1] for key, value in found.items() if value[0] == known}


def store(key: str, made_in: int, value, seconds: int) -> None:
    """Keep a page-tree value for the generation `made_in` (read() gave it)."""
    cache.set(key, (made_in, value), seconds)


def page_tree_key(name: str) -> str:
    """The key of a value read from the page tree (e.g. where the event index is), dropped when any
    page is published, unpublished, moved or deleted: the same generation as the cached pages."""
    return f"page-tree:{name}"


def page_tree_value(name: str, compute, seconds: int = 3600, request=None):
    key = page_tree_key(name)
    made_in, found = read(request, key)
    if key not in found:
        found[key] = compute()
        store(key, made_in, found[key], seconds)
    return found[key]


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
    """The cached copy's key, or None for a request that cannot be a cached page: those pay no
    cache round trip (the path is resolved here, which Django does again with its resolver cache)."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    if settings.BENCH and request.headers.get("X-Tend-Bench-Bypass"):
        return None  # `make bench` measures what rendering costs
    try:
        if resolve(request.path_info).url_name != "wagtail_serve":
            return None
    except Resolver404:
        return None
    return f"page:{get_language()}:{request.get_host()}:{request.get_full_path()}"


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
    """After CSRF, before authentication: a hit costs one cache round trip (the generation and the
    page together) and no database query; a request for anything but a page costs none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        if key is None:
            return self.get_response(request)
        made_in, found = read(request, key)
        if key in found:
            content, headers = found[key]
            token = get_token(request).encode()
            response = HttpResponse(content.replace(b"@@csrf@@", token), headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable(request, response):
            content = TOKEN.sub(PLACEHOLDER, response.content)
            store(key, made_in, (content, {h: response[h] for h in KEPT_HEADERS if h in response}),
                  settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response
