"""The two forums and their first categories; moderators may edit categories in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FORUMS = [
    ("members", "Members' forum", "會員論壇", "members", [
        ("After-service show-off", "服務後曬照"),
        ("Questions", "問題"),
        ("Care talk", "保養交流"),
        ("Feedback to the brand", "給品牌的建議"),
    ]),
    ("providers", "Providers' forum", "職人論壇", "providers", [
        ("Skills exchange", "技術交流"),
        ("Training Q&A", "培訓問答"),
        ("Voice", "心聲"),
    ]),
]


def seed(apps, schema_editor):
    Forum = apps.get_model("community", "Forum")
    Category = apps.get_model("community", "Category")
    for position, (slug, name, zh, audience, categories) in enumerate(FORUMS):
        forum, _created = Forum.objects.get_or_create(
            slug=slug, defaults={"name": f"{name} · {zh}", "audience": audience,
                                 "position": position})
        for index, (en, zh_name) in enumerate(categories):
            Category.objects.get_or_create(
                forum=forum, name=f"{en} · {zh_name}", defaults={"position": index})
    # Permissions are normally made after migrate; the moderators' grant needs them now.
    config = apps.get_app_config("community")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(*Permission.objects.filter(
        content_type__app_label="community", content_type__model="category"))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
