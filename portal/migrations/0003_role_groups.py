from django.db import migrations

# Editors and Moderators come from Wagtail's own migrations.
GROUPS = ["Members", "Providers", "Store staff"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_providerapplication_home_store_user_home_store"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
