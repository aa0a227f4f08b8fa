from django import template
from django.template.loader import render_to_string

from content import slots

register = template.Library()


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
