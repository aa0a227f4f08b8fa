"""What an id from outside may be: 1 to 2**63 - 1, the primary keys SQLite and PostgreSQL can store.

Anything else names no row. It must answer like a missing row (404, a form error) before it reaches
the database: SQLite raises OverflowError on a number it cannot store, and Django's own guard against
that covers integer columns but not foreign keys (a Wagtail page's id is its `page_ptr`).
Addresses use the `id` path converter (registered by PortalConfig.ready); query strings, form bodies
and socket frames use `parse_id` or `IdChoiceField`.
"""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(value) -> int | None:
    """The id written in `value`, or None when it cannot be one (not ASCII digits, 0, too large)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= MAX_ID else None
    text = value if isinstance(value, str) else ""
    # isdigit alone lets "²" through to int(), which refuses it; the length check spares int() a
    # thousand-digit string (ids padded with zeros beyond 19 digits are refused too).
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:name>` in a URL pattern: an id that can exist; a larger number does not match (so 404)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value!r} is not an id")
        return number

    def to_url(self, value) -> str:
        return str(value)


class UnicodeSlugConverter:
    """`<uslug:name>`: a slug that may hold any letters, as Wagtail and topic titles in Chinese make."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IdChoiceField(forms.ModelChoiceField):
    """A model choice whose posted id is checked before the query: a forged huge id is the usual
    "not one of the choices" error, not a 500."""

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
