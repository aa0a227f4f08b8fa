from django import template
from django.template.loader import render_to_string

from content import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def home_slot(context, name):
    """Render whatever the registered apps put in this slot; nothing when none did."""
    request = context.get("request")
    parts = []
    for provider in slots.providers(name):
        filled = provider(request)
        if filled:
            template_name, data = filled
            parts.append(render_to_string(template_name, data, request=request))
    return template.defaultfilters.safe("".join(parts))


@register.filter
def is_open_at(store, moment):
    return store.is_open_at(moment)
