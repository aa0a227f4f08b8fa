"""The ticket e-mail leaves the registration as a task row; `db_worker` sends it."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from events import services
from events.models import Registration

TICKETS = DBTaskResult.objects.filter(task_path="events.tasks.send_ticket_email")


def test_ticket_email_waits_for_the_worker(task_worker, event, member):
    registration = services.register_for_event(event=event, member=member)
    assert mail.outbox == []
    assert TICKETS.ready().count() == 1

    task_worker()
    assert len(mail.outbox) == 1
    assert registration.ticket_code in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][2] == "text/calendar"
    assert TICKETS.successful().count() == 1
    task_worker()  # nothing left: a second run sends nothing again
    assert len(mail.outbox) == 1


def test_ticket_of_a_registration_cancelled_before_the_worker_ran_is_not_sent(
        task_worker, event, member):
    registration = services.register_for_event(event=event, member=member)
    services.cancel_registration(registration=registration, member=member)
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CANCELLED

    task_worker()
    assert mail.outbox == []
    assert TICKETS.successful().count() == 1
