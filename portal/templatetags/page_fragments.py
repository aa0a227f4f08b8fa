"""`{% pagefragment "name" vary... %}…{% endpagefragment %}`: a part of a Wagtail page that is the
same for every visitor of that page, rendered once per page-tree generation and language.

As Wagtail's `{% wagtailcache %}` (previews render fresh), with what every fragment varies on put in
for it: the page, the language and the page-tree generation (portal.caching.pages), kept for
PAGE_CACHE_SECONDS (0: not kept).

For the views the anonymous page cache cannot answer (signed-in visitors, first views): a care tip's
body and related cards, an index's card grid, the home page's sections. Put in nothing that depends
on the visitor (their name, a CSRF token, what they may do); put every input that is not the page
itself (a query-string filter, the page number, the host) in `vary`. Fill the context lazily (a
queryset, `SimpleLazyObject`), so a cached fragment also skips its queries.

One cache round trip a page, not one a fragment: the first fragment a page renders reads every
fragment its template holds (its own, the templates it extends and includes by name), each keyed
as it resolves there. A fragment whose key turns out different where it renders (a vary set by a
`{% with %}` around it) or that was not read ahead (a template included by a variable) is read on
its own: reading ahead only saves round trips, it never decides what is shown.
"""

from weakref import WeakKeyDictionary

from django import template
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.utils import make_template_fragment_key
from django.template.loader_tags import ExtendsNode, IncludeNode
from django.utils.translation import get_language

from portal.caching import generation

register = template.Library()

_UNREAD = object()
# Each page template's fragment nodes, found once per compiled template.
_FRAGMENTS: "WeakKeyDictionary[template.base.Template, tuple]" = WeakKeyDictionary()


def _fragment_cache():
    try:
        return caches["template_fragments"]
    except InvalidCacheBackendError:
        return caches["default"]


class PageFragmentNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name, vary):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def key(self, context) -> str:
        request = context.get("request")
        return make_template_fragment_key("pagefragment", [
            self.name.resolve(context), context["page"].pk, get_language(), generation(request),
            *(part.resolve(context) for part in self.vary),
        ])

    def render(self, context):
        request = context.get("request")
        if (context.get("page") is None or not settings.PAGE_CACHE_SECONDS or request is None
                or getattr(request, "is_preview", False)):
            return self.nodelist.render(context)
        key = self.key(context)
        value = _read_ahead(context, request).pop(key, _UNREAD)
        fragments = _fragment_cache()
        if value is _UNREAD:
            value = fragments.get(key)
        if value is None:
            value = self.nodelist.render(context)
            fragments.set(key, value, settings.PAGE_CACHE_SECONDS)
        return value


def _read_ahead(context, request) -> dict:
    """{key: stored fragment or None} for every fragment of the template being rendered, read in
    one round trip the first time one of them renders in this request."""
    root = context.template
    read = request.__dict__.setdefault("_page_fragments", {})
    if root not in read:
        keys = set()
        for node in _fragments_of(root):
            try:
                keys.add(node.key(context))
            except Exception:  # noqa: S112 - resolved again where it renders, and raises there
                continue
        found = _fragment_cache().get_many(list(keys)) if keys else {}
        read[root] = {key: found.get(key) for key in keys}
    return read[root]


def _fragments_of(root) -> tuple:
    if root not in _FRAGMENTS:
        found, seen = [], set()

        def walk(nodelist):
            for node in nodelist or ():
                if isinstance(node, PageFragmentNode):
                    found.append(node)
                if isinstance(node, ExtendsNode):
                    visit(node.parent_name)
                elif isinstance(node, IncludeNode):
                    visit(node.template)
                for attr in node.child_nodelists:
                    walk(getattr(node, attr, None))

        def visit(name):
            # Only templates named by a constant: one named by a variable is read where it renders.
            if getattr(name, "is_var", True) or name.var in seen:
                return
            seen.add(name.var)
            try:
                walk(root.engine.get_template(name.var).nodelist)
            except template.TemplateDoesNotExist:
                return

        walk(root.nodelist)
        _FRAGMENTS[root] = tuple(found)
    return _FRAGMENTS[root]


@register.tag
def pagefragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    return PageFragmentNode(nodelist, parser.compile_filter(bits[1]),
                            [parser.compile_filter(bit) for bit in bits[2:]])
