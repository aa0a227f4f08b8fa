from django import template

from portal import js_catalog

register = template.Library()


@register.simple_tag
def js_catalog_url() -> str:
    """The address of the JavaScript catalogue in the page's language (portal.js_catalog)."""
    return js_catalog.url()
