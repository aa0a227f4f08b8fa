import pytest
from wagtail.models import Page, Workflow

from content.models import CareTipPage

pytestmark = pytest.mark.django_db


def test_editors_submit_and_moderators_approve(tree, editor, moderator, add_tip):
    root = Page.get_first_root_node()
    workflow = root.get_workflow()
    assert workflow.name == "Editorial review"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]

    tip = add_tip("Draft by an editor")
    tip.unpublish()
    assert not tip.permissions_for_user(editor).can_publish()
    assert tip.permissions_for_user(moderator).can_publish()

    tip.save_revision(user=editor)
    state = workflow.start(tip, editor)
    task_state = state.current_task_state
    assert task.user_can_access_editor(tip, moderator)
    task.on_action(task_state, moderator, "approve")
    tip = CareTipPage.objects.get(pk=tip.pk)
    assert tip.live
    assert Workflow.objects.get(name="Editorial review").active


def test_scheduled_tip_goes_live_when_publish_scheduled_runs(client, add_tip):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    tip = add_tip("Scheduled tip", summary="排程發布的保養文")
    tip.unpublish()
    tip.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1))
    assert "Scheduled tip" not in client.get("/tips/").content.decode()
    call_command("publish_scheduled")
    assert "Scheduled tip" in client.get("/tips/").content.decode()
    assert "Scheduled tip" in client.get("/search/", {"q": "排程"}).content.decode()
