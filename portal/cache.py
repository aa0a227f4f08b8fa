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

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

GENERATION_KEY = "page-cache:generation"
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy",
                "Cross-Origin-Opener-Policy", "X-Content-Type-Options")


def drop_now_and_after_commit(key: str) -> None:
    """Delete a cached value for a write: now, and again after commit, lest a request between the
    write and the commit store the old value again."""
    cache.delete(key)
    drop_after_commit(key)


def drop_after_commit(key: str) -> None:
    """Delete a token (see `kept`) once the write commits: enough where nothing reads the kept
    value inside the writing transaction, and a cache round trip less inside it."""
    transaction.on_commit(lambda: cache.delete(key))


# Kept long: a value is only good while its token is, and a lost token only costs a fresh read.
TOKEN_SECONDS = 86400


def _current_token(found: dict, key: str) -> int | None:
    """The token under `key` in `found`, or a new one; None when another request stored one
    first (then store nothing)."""
    token = found.get(key)
    if token is None:
        token = time.time_ns()
        if not cache.add(key, token, TOKEN_SECONDS):
            return None
    return token


def kept(key: str, token_keys: list, read, seconds: int, *, found: dict | None = None,
         vary: tuple = (), good=None):
    """`read()`'s value, kept under `key` while the tokens under `token_keys` are the ones it was
    read under, `vary` is unchanged and `good(value)` (if given) holds. `found`: a get_many that
    already holds `key` and the tokens, to share its round trip.

    A token stands for the present state of what it covers; a write drops it
    (drop_now_and_after_commit, or drop_after_commit). Tokens are read before the value: a value
    read from a change not yet committed is stored under the old token, which the change drops
    again after commit.
    Tokens, not counters: a token lost from the cache comes back new, never as an old one."""
    if found is None:
        found = cache.get_many([key, *token_keys])
    tokens = tuple(_current_token(found, token_key) for token_key in token_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == (tokens, vary) and (good is None or good(stored[1])):
        return stored[1]
    value = read()
    if None not in tokens:
        cache.set(key, ((tokens, vary), value), seconds)
    return value


def peek(found: dict, key: str, token_keys: list):
    """The value `kept` stored under `key` (with no `vary`), if `found` (a get_many holding `key` and
    the tokens) shows its tokens current; None otherwise. Reads nothing and stores nothing."""
    stored = found.get(key)
    tokens = tuple(found.get(token_key) for token_key in token_keys)
    if stored is None or None in tokens or stored[0] != (tokens, ()):
        return None
    return stored[1]


def new_generation() -> None:
    """Drop every cached page at once (old keys expire on their own)."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


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


def fragment_key(name: str, page_id: int, vary: list, request=None) -> str:
    """A page fragment's key (portal.templatetags.page_fragments): its page, the language and a
    digest of what else it varies on, in the page-tree generation."""
    digest = hashlib.sha256(repr([str(value) for value in vary]).encode()).hexdigest()[:32]
    return page_tree_key(f"fragment:{page_id}:{get_language()}:{name}:{digest}", request)


def page_tree_value(name: str, compute, seconds: int = 3600):
    return cache.get_or_set(page_tree_key(name), compute, seconds)


def page_changed(**_signal_kwargs) -> None:
    """For pages and for what a page shows that must not lag (e.g. a moderator's decision)."""
    # Now, and again after commit: a request between the change and the commit would otherwise
    # cache the old page again.
    new_generation()
    transaction.on_commit(new_generation)


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
