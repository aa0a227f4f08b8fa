from django import template
from django.template.loader import render_to_string
from wagtail.images.shortcuts import get_renditions_or_not_found

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
