"""`{% chrome "includes/header.html" %}`: the header or footer every page shows, rendered once per
process, template, language and kind of visitor, with the visitor's own values put in.

The header's translated links and forms were a sixth of a signed-in forum page's time and most of a
near-empty page's (bench/cost.py): the same HTML on every page but for the visitor's name, the
bell's count, the address and the CSRF token. Those are rendered as placeholders and put in,
escaped, on each page; the rest depends only on the template, the language and what the visitor's
roles show (`SHOWN_FLAGS`), so nothing a write changes is held: only a new template does (a deploy
restarts the process; `runserver` reloads templates into new objects, which are rendered afresh).

The template is rendered with these values only: reading anything else (another context variable
or another attribute of `user` or `request`) fails loudly instead of rendering as empty.
"""

import re
import weakref

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import urlencode
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# What the chrome may read of the visitor beyond their name: each is part of which copy is shown.
SHOWN_FLAGS = ("is_authenticated", "is_provider", "is_store_staff", "is_editor", "is_moderator",
               "is_staff")
# The visitor's values, put in after rendering (in one pass: a value put in is never read again).
PLACEHOLDER = re.compile(r"@@(csrf|name|path|unread)@@|%40%40(path)%40%40")

_rendered: "weakref.WeakKeyDictionary[template.Template, dict]" = weakref.WeakKeyDictionary()


class _Only:
    """An object with just these attributes: the chrome reading another is a mistake to see."""

    def __init__(self, what: str, **values):
        self.__dict__.update(values)
        self._what = what

    def __getattr__(self, name):
        raise ImproperlyConfigured(
            f"The chrome reads {self._what}.{name}: add it to portal.templatetags.chrome.")


class _OnlyContext(template.Context):
    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            raise ImproperlyConfigured(
                f"The chrome reads {key!r}: add it to portal.templatetags.chrome.") from None


@register.simple_tag(takes_context=True)
def chrome(context, name: str):
    request = context.get("request")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    flags = tuple(bool(getattr(user, flag)) for flag in SHOWN_FLAGS) if signed_in else ()
    unread = context.get("unread_notifications", 0) if signed_in else 0
    token = context.get("csrf_token")
    has_token = bool(token) and str(token) != "NOTPROVIDED"
    variant = (get_language(), flags, bool(unread), has_token)

    compiled = context.template.engine.get_template(name)
    copies = _rendered.setdefault(compiled, {})
    html = copies.get(variant)
    if html is None:
        shown_user = (_Only("user", name="@@name@@", **dict(zip(SHOWN_FLAGS, flags, strict=True)))
                      if signed_in else _Only("user", is_authenticated=False))
        html = copies[variant] = compiled.render(_OnlyContext({
            "user": shown_user,
            "request": _Only("request", get_full_path=lambda: "@@path@@"),
            "unread_notifications": "@@unread@@" if unread else 0,
            "csrf_token": "@@csrf@@" if has_token else None,
        }, autoescape=context.autoescape))

    def value(name: str) -> str:
        if name == "csrf":
            return str(token) if has_token else ""
        if name == "name":
            return escape(user.name) if signed_in else ""
        if name == "unread":
            return escape(unread)
        path = request.get_full_path() if request is not None else ""
        return escape(path) if name == "path" else escape(urlencode(path))

    if "@@" in html or "%40%40" in html:
        html = PLACEHOLDER.sub(lambda match: value(match.group(1) or "qpath"), html)
    # Our template's output with escaped values put in.
    return mark_safe(html)  # noqa: S308  # nosec
