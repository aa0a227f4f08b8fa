"""The events index's seeded English introduction is cleared: a blank one is the house line in the
reader's language (templates/events/event_index_page.html). An editor's own introduction stays."""

from django.db import migrations

SEEDED = "Experience days, meetups and trainings at our stores."


def clear_seeded_intro(apps, schema_editor):
    EventIndexPage = apps.get_model("events", "EventIndexPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    EventIndexPage.objects.filter(intro=SEEDED).update(intro="")
    # The revisions too, so that publishing the page from the admin does not bring it back.
    pages = [str(pk) for pk in EventIndexPage.objects.values_list("pk", flat=True)]
    for revision in Revision.objects.filter(object_id__in=pages, content_type__model="eventindexpage"):
        if revision.content.get("intro") == SEEDED:
            revision.content = {**revision.content, "intro": ""}
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_private_event_photos"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(clear_seeded_intro, migrations.RunPython.noop)]
