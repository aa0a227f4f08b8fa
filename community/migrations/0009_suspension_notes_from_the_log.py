import re

from django.db import migrations
from django.utils import timezone


def copy_notes(apps, schema_editor):
    """Members suspended before the reason was kept on the user are told the note their moderator
    wrote in the audit log ("<days>d <note>"). A handful of rows: one read each."""
    User = apps.get_model("portal", "User")
    ModerationAction = apps.get_model("community", "ModerationAction")
    for user in User.objects.filter(suspended_until__gt=timezone.now(), suspension_note=""):
        action = (ModerationAction.objects.filter(action="suspend", target_user=user)
                  .order_by("-created_at", "-pk").first())
        note = re.sub(r"^\d+d\s*", "", action.note) if action is not None else ""
        if note:
            user.suspension_note = note
            user.save(update_fields=["suspension_note"])


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0008_topic_held"),
        ("portal", "0005_user_suspension_note"),
    ]

    operations = [
        migrations.RunPython(copy_notes, migrations.RunPython.noop),
    ]
