from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.errors import CapacityError, RegistrationError
from events.models import EventPage, Registration
from portal import roles
from portal.models import Notification
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Status = Registration.Status


def members(n):
    return [make_user(f"m{i}@example.com", roles.MEMBERS) for i in range(n)]


def test_register_confirms_while_seats_remain_then_waitlists(event):
    a, b, c = members(3)
    assert services.register_for_event(event=event, member=a).status == Status.CONFIRMED
    assert services.register_for_event(event=event, member=b).status == Status.CONFIRMED
    assert services.register_for_event(event=event, member=c).status == Status.WAITLISTED


def test_confirmed_registration_gets_long_unique_ticket_code(event):
    regs = [services.register_for_event(event=event, member=m) for m in members(3)]
    codes = [r.ticket_code for r in regs if r.status == Status.CONFIRMED]
    assert len(codes) == 2 and len(set(codes)) == 2
    # token_urlsafe(18): 24 characters of 6 bits = 144 bits.
    assert all(len(code) >= 22 for code in codes)
    assert regs[2].ticket_code is None


def test_register_twice_returns_the_same_registration(event, member):
    first = services.register_for_event(event=event, member=member)
    second = services.register_for_event(event=event, member=member)
    assert first.pk == second.pk
    assert Registration.objects.filter(event=event, member=member).count() == 1


def test_confirmation_email_carries_the_ics(event, member, django_capture_on_commit_callbacks):
    from icalendar import Calendar

    with django_capture_on_commit_callbacks(execute=True):
        reg = services.register_for_event(event=event, member=member)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert reg.ticket_code in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "text/calendar"
    cal = Calendar.from_ical(content)
    assert [c.get("summary") for c in cal.walk("VEVENT")] == [event.title]


def test_register_outside_window_is_refused(make_event, member):
    now = timezone.now()
    early = make_event(registration_opens=now + timedelta(days=1))
    with pytest.raises(RegistrationError) as exc:
        services.register_for_event(event=early, member=member)
    assert exc.value.code == "not_open_yet"
    late = make_event(start=now + timedelta(hours=2), registration_closes=now - timedelta(minutes=1))
    with pytest.raises(RegistrationError) as exc:
        services.register_for_event(event=late, member=member)
    assert exc.value.code == "closed"


def test_providers_only_event_refuses_members(make_event, member, provider):
    training = make_event(audience=EventPage.Audience.PROVIDERS)
    with pytest.raises(RegistrationError) as exc:
        services.register_for_event(event=training, member=member)
    assert exc.value.code == "providers_only"
    assert services.register_for_event(event=training, member=provider).status == Status.CONFIRMED


def test_members_event_refuses_users_without_member_role(event, staff):
    with pytest.raises(RegistrationError) as exc:
        services.register_for_event(event=event, member=staff)
    assert exc.value.code == "members_only"


def test_signed_in_audience_admits_anyone_signed_in(make_event, staff):
    open_day = make_event(audience=EventPage.Audience.SIGNED_IN)
    assert services.register_for_event(event=open_day, member=staff).status == Status.CONFIRMED


def test_cancel_promotes_first_waitlisted_and_notifies(event):
    a, b, c, d = members(4)
    reg_a = services.register_for_event(event=event, member=a)
    services.register_for_event(event=event, member=b)
    reg_c = services.register_for_event(event=event, member=c)
    services.register_for_event(event=event, member=d)
    services.cancel_registration(registration=reg_a, member=a)
    reg_c.refresh_from_db()
    assert reg_c.status == Status.CONFIRMED and reg_c.ticket_code
    assert Registration.objects.get(event=event, member=d).status == Status.WAITLISTED
    assert Notification.objects.filter(user=c, kind="event_promoted").exists()


def test_cancel_after_deadline_is_refused(make_event, member):
    now = timezone.now()
    soon = make_event(start=now + timedelta(hours=5), cancellation_deadline=now - timedelta(minutes=1))
    reg = services.register_for_event(event=soon, member=member)
    with pytest.raises(RegistrationError) as exc:
        services.cancel_registration(registration=reg, member=member)
    assert exc.value.code == "past_cancellation_deadline"


def test_cancel_someone_elses_registration_is_refused(event, member, other_member):
    reg = services.register_for_event(event=event, member=member)
    with pytest.raises(RegistrationError) as exc:
        services.cancel_registration(registration=reg, member=other_member)
    assert exc.value.code == "not_yours"


def test_leave_waitlist_does_not_promote_anyone(event):
    a, b, c, d = members(4)
    for m in (a, b):
        services.register_for_event(event=event, member=m)
    reg_c = services.register_for_event(event=event, member=c)
    services.register_for_event(event=event, member=d)
    services.leave_waitlist(registration=reg_c, member=c)
    assert Registration.objects.get(event=event, member=c).status == Status.CANCELLED
    assert Registration.objects.get(event=event, member=d).status == Status.WAITLISTED


def test_register_again_after_cancelling_joins_the_back_of_the_queue(event):
    a, b, c = members(3)
    reg_a = services.register_for_event(event=event, member=a)
    services.register_for_event(event=event, member=b)
    services.register_for_event(event=event, member=c)
    services.cancel_registration(registration=reg_a, member=a)
    again = services.register_for_event(event=event, member=a)
    assert again.pk == reg_a.pk and again.status == Status.WAITLISTED


def test_raising_capacity_promotes_in_fifo_order(event):
    regs = [services.register_for_event(event=event, member=m) for m in members(5)]
    services.change_capacity(event=event, capacity=3)
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == [Status.CONFIRMED] * 3 + [Status.WAITLISTED] * 2


def test_lowering_capacity_below_confirmed_is_refused(event):
    for m in members(2):
        services.register_for_event(event=event, member=m)
    with pytest.raises(CapacityError) as exc:
        services.change_capacity(event=event, capacity=1)
    assert exc.value.code == "below_confirmed"
    event.refresh_from_db()
    assert event.capacity == 2


def test_admin_form_validation_refuses_capacity_below_confirmed(event):
    from django.core.exceptions import ValidationError

    for m in members(2):
        services.register_for_event(event=event, member=m)
    event.capacity = 1
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "capacity" in exc.value.message_dict


def test_unique_constraint_blocks_second_row(event, member):
    from django.db import IntegrityError, transaction

    services.register_for_event(event=event, member=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, member=member, status=Status.WAITLISTED)
