"""The home hero's seeded English lines (0002) are cleared: a blank hero says the house lines in the
reader's language (templates/content/home_page.html). Lines an editor wrote stay as they are."""

from django.db import migrations

SEEDED = {
    "hero_title": "Care that fits your life",
    "hero_text": "Beauty, nails, hair and home care: learn, talk and meet us in store.",
}


def clear_seeded_lines(apps, schema_editor):
    HomePage = apps.get_model("content", "HomePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    for field, seeded in SEEDED.items():
        HomePage.objects.filter(**{field: seeded}).update(**{field: ""})
    # The revisions too, so that publishing the page from the admin does not bring them back.
    pages = [str(pk) for pk in HomePage.objects.values_list("pk", flat=True)]
    for revision in Revision.objects.filter(object_id__in=pages, content_type__model="homepage"):
        changed = {field: "" for field, seeded in SEEDED.items() if revision.content.get(field) == seeded}
        if changed:
            revision.content = {**revision.content, **changed}
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_editors_manage_taxonomy"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(clear_seeded_lines, migrations.RunPython.noop)]
