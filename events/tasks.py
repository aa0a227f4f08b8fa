"""Background work for events: the ticket e-mail carries the event's .ics, which notify cannot attach."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from events.calendar import build_calendar
from events.models import Registration


@task()
def send_ticket_email(*, registration_id: int) -> None:
    registration = (
        Registration.objects.select_related("event__store", "member")
        .filter(pk=registration_id, status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None:
        # Cancelled before the worker ran: no ticket to send.
        return
    event, member = registration.event, registration.member
    with translation.override(member.language or None):
        subject = _("[Tend] Your ticket: %(title)s") % {"title": event.title}
        body = _(
            "You have a seat at %(title)s, %(when)s at %(store)s.\n\n"
            "Show this ticket at the door: %(url)s\n"
        ) % {
            "title": event.title,
            "when": event.local_start.strftime("%Y-%m-%d %H:%M"),
            "store": event.store.title,
            "url": f"{settings.SITE_URL}/me/tickets/{registration.ticket_code}/",
        }
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
    message.attach("event.ics", build_calendar([event]), "text/calendar")
    message.send()
