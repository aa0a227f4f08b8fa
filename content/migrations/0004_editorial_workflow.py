from django.db import migrations

WORKFLOW = "Editorial review"
TASK = "Moderator approval"


def create_workflow(apps, schema_editor):
    """Editors submit pages for review; moderators approve (publish) or reject them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root = Page.objects.filter(depth=1).first()
    if root is None or Workflow.objects.filter(name=WORKFLOW).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore",
                                                      model="groupapprovaltask")
    task = GroupApprovalTask.objects.create(name=TASK, content_type=task_type, active=True)
    task.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_pages_snippets_search"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
