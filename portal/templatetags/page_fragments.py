"""`{% pagefragment "name" vary... %}…{% endpagefragment %}`: a part of a Wagtail page that is the
same for every visitor of that page, rendered once per page-tree generation and language.

For the views the anonymous page cache cannot answer (signed-in visitors, first views): a care tip's
body and related cards, an index's card grid, the home page's sections. Put in nothing that depends
on the visitor (their name, a CSRF token, what they may do); put every input that is not the page
itself (a query-string filter, the page number, the host) in `vary`. Fill the context lazily (a
queryset, `SimpleLazyObject`), so a cached fragment also skips its queries. Previews render fresh.
"""

from django import template
from django.conf import settings
from django.core.cache import cache

from portal.cache import fragment_key

register = template.Library()


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        request, page = context.get("request"), context.get("page")
        if page is None or getattr(request, "is_preview", False) or not settings.PAGE_CACHE_SECONDS:
            return self.nodelist.render(context)
        key = fragment_key(self.name.resolve(context), page.pk,
                           [value.resolve(context) for value in self.vary], request)
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
        return html


@register.tag
def pagefragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]),
                            [parser.compile_filter(bit) for bit in bits[2:]])
