"""Notifications keep a template and its values, rendered in the reader's language (portal.notifications).

Rows written before were stored as text in their member's saved language, English or Traditional
Chinese. Where that text is one of the templates below in either language, its values are read back
out of it, so the row too follows its reader's language; any other row keeps its stored text, which
is shown as before. The templates are frozen here as they were when this migration was written.
"""

import re

from django.db import migrations, models
from django.utils import translation

TEMPLATES = {
    "provider_application": [
        "Your provider application was approved. Welcome to the providers' community!",
        "Your provider application was not approved: %(reason)s",
    ],
    "chat_direct": ["%(name)s sent you a direct message"],
    "chat_mention": ["%(name)s mentioned you in %(room)s"],
    "forum_mention": ["%(name)s mentioned you in “%(title)s”"],
    "forum_topic": ["%(name)s started “%(title)s”"],
    "forum_reply": ["%(name)s replied in “%(title)s”"],
    "forum_moderation": [
        "Your account may not post until %(date)s. The moderator's reason: %(reason)s",
    ],
    "service_review": [
        "%(name)s reviewed your service. You may answer it publicly.",
        "%(name)s answered your review.",
    ],
    "event_promoted": ["A seat opened up: you are now confirmed for %(title)s."],
    "event_reminder": ["Reminder: %(title)s starts %(when)s at %(store)s."],
    "points": [
        "You earned %(points)s points for attending %(title)s.",
        "Welcome bonus: %(points)s points for your first event.",
        "Referral bonus: %(points)s points for joining through %(name)s.",
        "Referral bonus: %(points)s points, %(name)s attended their first event.",
        "Thank you for your review: %(points)s points.",
        "Your points were adjusted by %(points)+d: %(note)s",
    ],
    "rewards": [
        "Welcome to Tend! Your gift is waiting: %(title)s.",
        "You redeemed %(title)s for %(points)s points.",
    ],
    "coupon_expiry": ["%(title)s expires on %(date)s: use it before then."],
}
LANGUAGES = ("en", "zh-hant")
PLACEHOLDER = re.compile(r"%\((\w+)\)([+]?d|s)")


def pattern(text: str) -> tuple[re.Pattern, set]:
    """The template as a pattern whose groups take its values back out of a text made from it, and
    the names of its whole-number values."""
    parts, integers, end = [], set(), 0
    for found in PLACEHOLDER.finditer(text):
        parts.append(re.escape(text[end:found.start()]))
        name, conversion = found.groups()
        if conversion.endswith("d"):
            integers.add(name)
            parts.append(rf"(?P<{name}>[+-]?\d+)")
        else:
            parts.append(rf"(?P<{name}>.+?)")
        end = found.end()
    parts.append(re.escape(text[end:]))
    return re.compile("".join(parts), re.DOTALL), integers


def patterns() -> dict:
    found = {}
    for kind, templates in TEMPLATES.items():
        for template in templates:
            for language in LANGUAGES:
                with translation.override(language):
                    text = translation.gettext(template)
                found.setdefault(kind, []).append((template, pattern(text)))
    return found


def read_back(apps, schema_editor):
    Notification = apps.get_model("portal", "Notification")
    known = patterns()
    rows = Notification.objects.filter(template="", kind__in=list(known)).only("kind", "message")
    for note in rows.iterator(chunk_size=500):
        for template, (compiled, integers) in known[note.kind]:
            match = compiled.fullmatch(note.message)
            if match is None:
                continue
            params = {key: int(value) if key in integers else value
                      for key, value in match.groupdict().items()}
            Notification.objects.filter(pk=note.pk).update(template=template, params=params)
            break


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0006_private_certificates"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="notification",
            name="template",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(read_back, migrations.RunPython.noop),
    ]
