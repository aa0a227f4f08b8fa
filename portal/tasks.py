"""Background work. Runs inline by default; a worker runs it when TASKS_BACKEND names one."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: str, subject: str, body: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)
