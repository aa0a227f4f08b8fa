from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_editors(apps, schema_editor):
    # Editors file stories under personas and tips under service categories, so they keep those lists
    # too (they were superuser-only, and editors had to ask for every new persona).
    config = apps.get_app_config("content")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name="Editors")
    group.permissions.add(*Permission.objects.filter(
        content_type__app_label="content", content_type__model__in=("persona", "servicecategory")))


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("content", "0005_practitioner_tier_fallback"),
    ]

    operations = [migrations.RunPython(grant_editors, migrations.RunPython.noop)]
