"""Absolute addresses on SITE_URL and the language alternates of the page being shown.

The language is chosen by cookie, profile or browser, so one address serves both languages;
`?lang=` (portal.middleware.QueryLanguageMiddleware) gives each language an address of its own for
hreflang alternates, canonical links and shared links.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from portal.middleware import query_language

register = template.Library()

# hreflang wants BCP 47 tags; Django's codes are lower case.
HREFLANG = {"en": "en", "zh-hant": "zh-Hant"}


@register.filter
def absolute_url(url: str) -> str:
    """A path on this site as an address on SITE_URL; an address with a host stays as it is."""
    url = str(url or "")
    return f"{settings.SITE_URL}{url}" if url.startswith("/") and not url.startswith("//") else url


def _address(path: str, query: list, lang: str) -> str:
    """`path` on SITE_URL with `query` (the page's parameters but `lang`, as (name, last value)
    pairs) and `lang` if given, in sorted order."""
    if lang:
        query = [*query, ("lang", lang)]
    encoded = urlencode(sorted(query), doseq=False) if query else ""
    return absolute_url(path) + (f"?{encoded}" if encoded else "")


def _query(request) -> list:
    return [(name, value) for name, value in request.GET.items() if name != "lang"]


@register.simple_tag(takes_context=True)
def canonical_url(context, path: str = "") -> str:
    """This page's own address on SITE_URL, in the language its address asks for (if it does)."""
    request = context["request"]
    return absolute_url(path or request.path) + (
        f"?lang={query_language(request)}" if query_language(request) else "")


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """A `<link rel="alternate">` for each language and x-default. Written here, not by an included
    template: every page shows them, and the include cost as much as the rest of them."""
    request = context.get("request")
    if request is None:
        return mark_safe("\n")
    query = _query(request)  # read once for all three, not copied for each
    alternates = [(HREFLANG.get(code, code), _address(request.path, query, code))
                  for code, _name in settings.LANGUAGES]
    alternates.append(("x-default", _address(request.path, query, "")))
    return format_html_join("", '<link rel="alternate" hreflang="{}" href="{}">\n',
                            alternates) + mark_safe("\n")
