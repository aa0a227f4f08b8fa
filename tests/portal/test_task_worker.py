"""A notification's e-mail leaves the request as a task row; `db_worker` sends it."""

from django.core import mail

from portal.services import notify


def test_notification_email_waits_for_the_worker(task_worker, member):
    notify(member, "account", "Your password was changed", url="/me/")  # e-mailed by default
    assert mail.outbox == []

    task_worker()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Your password was changed" in mail.outbox[0].body
