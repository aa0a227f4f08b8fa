"""`{% pagefragment "name" vary... %}…{% endpagefragment %}`: a part of a Wagtail page that is the
same for every visitor of that page, rendered once per page-tree generation and language.

Wagtail's `{% wagtailcache %}` (previews render fresh) with what every fragment varies on put in for
it: the page, the language and the page-tree generation (portal.caching.pages), kept for
PAGE_CACHE_SECONDS (0: not kept).

For the views the anonymous page cache cannot answer (signed-in visitors, first views): a care tip's
body and related cards, an index's card grid, the home page's sections. Put in nothing that depends
on the visitor (their name, a CSRF token, what they may do); put every input that is not the page
itself (a query-string filter, the page number, the host) in `vary`. Fill the context lazily (a
queryset, `SimpleLazyObject`), so a cached fragment also skips its queries.
"""

from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from portal.caching import generation

register = template.Library()


class _Resolved:
    """What a fragment varies on besides its own arguments, resolved as a template variable is."""

    def __init__(self, resolve):
        self.resolve = resolve


class PageFragmentNode(WagtailCacheNode):
    def __init__(self, nodelist, name, vary):
        super().__init__(nodelist, _Resolved(lambda context: settings.PAGE_CACHE_SECONDS),
                         "pagefragment", [
                             name,
                             _Resolved(lambda context: context["page"].pk),
                             _Resolved(lambda context: get_language()),
                             _Resolved(lambda context: generation(context.get("request"))),
                             *vary,
                         ], None)

    def render(self, context):
        if context.get("page") is None or not settings.PAGE_CACHE_SECONDS:
            return self.nodelist.render(context)
        return super().render(context)


@register.tag
def pagefragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]),
                            [parser.compile_filter(bit) for bit in bits[2:]])
