from django import template
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.images.templatetags.wagtailimages_tags import SrcsetImageNode
from wagtail.images.templatetags.wagtailimages_tags import image as wagtail_image_tag

from content import slots

register = template.Library()

SHARE_RENDITION = "fill-1200x630|format-jpeg"


@register.filter
def share_rendition(image):
    """A shared link's picture (og:image). Not `{% image %}`: Wagtail's get_rendition writes the
    rendition back to the cache on every call, even one the page read with its renditions."""
    return get_renditions_or_not_found(image, [SHARE_RENDITION])[SHARE_RENDITION]


@register.simple_tag(takes_context=True)
def slot(context, name):
    """Render whatever the registered apps put in this slot for this page; nothing when none did."""
    request, page = context.get("request"), context.get("page")
    parts = []
    for provider in slots.providers(name):
        filled = provider(request, page)
        if filled:
            template_name, data = filled
            parts.append(render_to_string(template_name, data, request=request))
    return template.defaultfilters.safe("".join(parts))


class _FiltersOnceNode(SrcsetImageNode):
    # Wagtail makes new Filter objects for every image it renders, and each parses its spec
    # (through inspect) again: a third of a card image's time. A node's specs never change.
    @cached_property
    def filters(self):
        return super().get_filters()

    def get_filters(self):
        return self.filters


@register.tag
def responsive_image(parser, token):
    """Wagtail's `{% srcset_image %}`, same arguments and output, its filters parsed once per
    template instead of once per image (index cards: a dozen images a page)."""
    tag_name, _, arguments = token.contents.partition(" ")
    node = wagtail_image_tag(parser, template.base.Token(
        token.token_type, f"srcset_image {arguments}", token.position, token.lineno))
    return _FiltersOnceNode(node.image_expr, node.filter_specs,
                            output_var_name=node.output_var_name, attrs=node.attrs)
