import modelcluster.fields
from django.db import migrations


def link_named_practitioners(apps, schema_editor):
    """The free-text names become links to the practitioner pages with those titles."""
    EventPage = apps.get_model("events", "EventPage")
    PractitionerPage = apps.get_model("content", "PractitionerPage")
    Link = EventPage.practitioners.through
    pages = {page.title.strip().lower(): page.pk for page in PractitionerPage.objects.all()}
    links = []
    for event_id, names in EventPage.objects.exclude(practitioner_names="").values_list(
        "pk", "practitioner_names"
    ):
        for name in {n.strip().lower() for n in names.split(",")}:
            if name in pages:
                links.append(Link(eventpage_id=event_id, practitionerpage_id=pages[name]))
    Link.objects.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("content", "0004_editorial_workflow"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("eventpage", "practitioners", "practitioner_names"),
        migrations.AddField(
            model_name="eventpage",
            name="practitioners",
            field=modelcluster.fields.ParentalManyToManyField(
                blank=True, related_name="events", to="content.practitionerpage",
                verbose_name="practitioners taking part",
            ),
        ),
        migrations.RunPython(link_named_practitioners, migrations.RunPython.noop),
        migrations.RemoveField(model_name="eventpage", name="practitioner_names"),
    ]
