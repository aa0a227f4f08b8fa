"""`{% blank_form form %}`: includes/form.html for a form whose blank fields read the same to
everyone (no choices read from the database, no per-visitor defaults), e.g. the topic page's reply.

Rendering a form's widgets was an eighth of a topic page's time (`make bench`). A blank form (not
bound, no initial data) is rendered once per form class and language and kept; its hidden values
(a token new with each view) are put in each time. A bound form or one with initial data (a quote)
is rendered as it is. A view may read the kept copy ahead with its own keys (blank_form_key) and
hand their get_many to the template as `found`, to share its round trip.
"""

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.caching import Key

register = template.Library()

SECONDS = 600
# No write drops it: a blank form changes only with the code (time only).
BLANK_FORMS = Key("blank-form")


def blank_form_key(form_class) -> str:
    """The key of `form_class`'s kept copy in the present language."""
    return BLANK_FORMS(f"{form_class.__module__}.{form_class.__qualname__}", get_language())


@register.simple_tag(takes_context=True)
def blank_form(context, form):
    if form.is_bound or form.initial:
        return render_to_string("includes/form.html", {"form": form})
    hidden = {f"@@{field.name}@@": escape(field.value()) for field in form.hidden_fields()}
    key = blank_form_key(type(form))
    found = context.get("found") or {}
    html = found[key] if key in found else cache.get(key)
    if html is None:
        html = render_to_string("includes/form.html", {"form": form})
        for placeholder, value in hidden.items():
            html = html.replace(f'value="{value}"', f'value="{placeholder}"')
        cache.set(key, html, SECONDS)
    for placeholder, value in hidden.items():
        html = html.replace(placeholder, value)
    # Our template's output, the placeholders replaced by escaped values.
    return mark_safe(html)  # noqa: S308  # nosec
