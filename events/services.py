"""Rules that change events state: registration, waitlist, capacity, check-in, photos, ratings."""

import logging
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from events import selectors
from events.errors import (
    CapacityCode,
    CapacityError,
    CheckInCode,
    CheckInError,
    FeedbackCode,
    FeedbackError,
    RegistrationCode,
    RegistrationError,
)
from events.models import (
    SEAT_STATUSES,
    CheckIn,
    EventPage,
    EventPhoto,
    EventRating,
    Registration,
    new_ticket_code,
)
from events.rewards.services import award_attendance_reward
from events.tasks import send_ticket_email
from portal.images import clean_image
from portal.models import User
from portal.notifications import Text
from portal.services import notify
from portal.signals import event_attended

log = logging.getLogger(__name__)
Status = Registration.Status
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED, Status.NO_SHOW)


def event_group(event_id: int) -> str:
    return f"event.{event_id}"


def _broadcast_seats(event: EventPage, taken: int | None = None) -> None:
    """Announce the seats left once committed. Counted by the caller, under the event lock, rather
    than read again after commit: an aggregate query less in every registration's request."""
    seats_left = event.capacity - (_taken_seats(event) if taken is None else taken)

    def send():
        try:
            async_to_sync(get_channel_layer().group_send)(
                event_group(event.pk), {"type": "event.seats", "seats_left": seats_left}
            )
        except Exception:
            # Seats are stored; the live count is a bonus and the page shows it on load.
            log.warning("live seat update failed", exc_info=True)

    transaction.on_commit(send)


# What the rules below read from a locked event. A page has some 40 columns: selecting them all (and
# the store's) made compiling the query a fifth of a registration's time (py-spy, `make bench` race).
LOCKED_FIELDS = ("title", "capacity", "start", "end", "registration_opens", "registration_closes",
                 "cancellation_deadline", "audience", "store_id")


def _lock_event(event_id: int) -> EventPage:
    # Only the events row: Wagtail's page row stays free for editors.
    return EventPage.objects.select_for_update(of=("self",)).only(*LOCKED_FIELDS).get(pk=event_id)


def _taken_seats(event: EventPage) -> int:
    return event.registrations.filter(status__in=SEAT_STATUSES).count()


def _confirm(registration: Registration) -> None:
    """Give the registration its seat and ticket (the caller saves it); the ticket e-mail goes
    once committed."""
    registration.status = Status.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.ticket_code = registration.ticket_code or new_ticket_code()
    transaction.on_commit(lambda: send_ticket_email.enqueue(registration_id=registration.pk))


def audience_refusal(*, event: EventPage, member: User) -> RegistrationCode | str:
    """Why this member may not register for this event ("" if they may): the page says it instead
    of offering a button that refuses."""
    if selectors.audience_allows(event.audience, member):
        return ""
    return (RegistrationCode.PROVIDERS_ONLY if event.audience == EventPage.Audience.PROVIDERS
            else RegistrationCode.MEMBERS_ONLY)


@transaction.atomic
def register_for_event(*, event: EventPage, member: User) -> Registration:
    """Confirm while seats remain, else waitlist (FIFO); a repeat returns the same registration."""
    # Asked before the lock: the member's roles may cost queries, which would hold up the race.
    refusal = audience_refusal(event=event, member=member)
    event = _lock_event(event.pk)
    # The seats taken and the member's own registration in one query: every statement under the
    # lock holds up the whole queue (`make bench` race).
    found = event.registrations.aggregate(
        taken=Count("pk", filter=Q(status__in=SEAT_STATUSES)), mine=Max("pk", filter=Q(member=member))
    )
    existing = Registration.objects.get(pk=found["mine"]) if found["mine"] else None
    if existing and existing.status in ACTIVE:
        return existing
    now = timezone.now()
    if refusal:
        raise RegistrationError(refusal)
    if now < event.registration_opens:
        raise RegistrationError(RegistrationCode.NOT_OPEN_YET)
    if now >= event.registration_closes or now >= event.start:
        raise RegistrationError(RegistrationCode.CLOSED)
    registration = existing or Registration(event=event, member=member)
    registration.queued_at = now
    registration.cancelled_at = None
    # Counted before this save, which takes no seat unless it confirms: a reused registration was
    # cancelled (seatless), and an active one returned above.
    if found["taken"] < event.capacity:
        _confirm(registration)
        registration.save()
        _broadcast_seats(event, found["taken"] + 1)
    else:
        registration.status = Status.WAITLISTED
        registration.save()
    return registration


def _fill_seats(event: EventPage) -> list[Registration]:
    """Promote the oldest waitlisted members into free seats; the caller holds the event lock."""
    free = event.capacity - _taken_seats(event)
    if free <= 0:
        return []
    promoted = list(
        event.registrations.filter(status=Status.WAITLISTED).order_by("queued_at", "pk")[:free]
    )
    for registration in promoted:
        _confirm(registration)
        registration.save(update_fields=["status", "confirmed_at", "ticket_code"])
        message = Text(gettext_noop("A seat opened up: you are now confirmed for %(title)s."),
                       title=event.title)
        notify(registration.member, "event_promoted", message, f"/me/tickets/{registration.ticket_code}/")
    return promoted


@transaction.atomic
def promote_from_waitlist(*, event: EventPage) -> list[Registration]:
    """Every free seat goes to the oldest waitlisted member, who is notified."""
    event = _lock_event(event.pk)
    promoted = _fill_seats(event)
    if promoted:
        _broadcast_seats(event)
    return promoted


@transaction.atomic
def cancel_registration(*, registration: Registration, member: User) -> Registration:
    """Only before the cancellation deadline; a freed seat goes to the first waitlisted member."""
    event = _lock_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.member_id != member.pk:
        raise RegistrationError(RegistrationCode.NOT_YOURS)
    if registration.status == Status.CANCELLED:
        return registration
    if registration.status != Status.CONFIRMED:
        raise RegistrationError(RegistrationCode.NOT_CONFIRMED)
    if timezone.now() >= event.cancellation_deadline:
        raise RegistrationError(RegistrationCode.PAST_CANCELLATION_DEADLINE)
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _fill_seats(event)
    _broadcast_seats(event)
    return registration


@transaction.atomic
def leave_waitlist(*, registration: Registration, member: User) -> Registration:
    """A waitlisted member may leave at any time; nobody else moves."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.member_id != member.pk:
        raise RegistrationError(RegistrationCode.NOT_YOURS)
    if registration.status != Status.WAITLISTED:
        raise RegistrationError(RegistrationCode.NOT_WAITLISTED)
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return registration


@transaction.atomic
def change_capacity(*, event: EventPage, capacity: int) -> EventPage:
    """Never below the seats already taken; added seats go to the waitlist at once."""
    event = _lock_event(event.pk)
    taken = _taken_seats(event)
    if capacity < taken:
        raise CapacityError(CapacityCode.BELOW_CONFIRMED, taken=taken)
    EventPage.objects.filter(pk=event.pk).update(capacity=capacity)
    event.capacity = capacity
    _fill_seats(event)
    _broadcast_seats(event)
    return event


@transaction.atomic
def check_in_attendee(*, code: str, event: EventPage, staff: User) -> tuple[CheckIn, bool]:
    """Staff of the event's store admit a confirmed ticket once, from CHECK_IN_OPENS_BEFORE the start;
    a repeat scan returns the first check-in."""
    if not selectors.can_manage_store(staff, event.store_id):
        raise CheckInError(CheckInCode.FORBIDDEN)
    registration = (
        Registration.objects.select_for_update()
        .filter(ticket_code=code.strip())
        .select_related("member")
        .first()
    )
    if registration is None:
        raise CheckInError(CheckInCode.UNKNOWN_CODE)
    if registration.event_id != event.pk:
        raise CheckInError(CheckInCode.OTHER_EVENT, registration)
    registration.event = event  # the award reads its points and title: not again from the database
    existing = CheckIn.objects.filter(registration=registration).select_related("checked_in_by").first()
    if existing:
        return existing, False
    if registration.status != Status.CONFIRMED:
        raise CheckInError(CheckInCode.NOT_CONFIRMED, registration)
    if timezone.now() < event.check_in_opens:
        raise CheckInError(CheckInCode.TOO_EARLY, registration, event=event)
    check_in = CheckIn.objects.create(registration=registration, checked_in_by=staff)
    registration.status = Status.ATTENDED
    registration.save(update_fields=["status"])
    award_attendance_reward(registration=registration)
    event_attended.send(
        sender=check_in_attendee, member=registration.member, store_id=event.store_id,
        event_id=event.pk, date=timezone.localdate(check_in.checked_in_at, event.tz), staff=staff,
    )
    return check_in, True


@transaction.atomic
def mark_no_shows(*, event: EventPage) -> int:
    """After the event ends, confirmed members who never checked in are no-shows."""
    if not event.has_ended:
        return 0
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).update(
        status=Status.NO_SHOW)


def send_event_reminders(*, now=None) -> int:
    """Each confirmed member is reminded once, within 24 hours before the start."""
    now = now or timezone.now()
    sent = 0
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=24),
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, reminded_at__isnull=True)
                .select_related("event__store", "member")
                .first()
            )
            if registration is None:
                continue
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            event = registration.event
            message = Text(gettext_noop("Reminder: %(title)s starts %(when)s at %(store)s."),
                           title=event.title, when=event.local_start.strftime("%Y-%m-%d %H:%M"),
                           store=event.store.title)
            notify(registration.member, "event_reminder", message,
                   f"/me/tickets/{registration.ticket_code}/")
            sent += 1
    return sent


def _attended(event: EventPage, member: User) -> bool:
    return Registration.objects.filter(event=event, member=member, status=Status.ATTENDED).exists()


@transaction.atomic
def add_event_photo(*, event: EventPage, member: User, image, caption: str = "") -> EventPhoto:
    """Checked-in attendees upload after the event; photos stay hidden until a moderator approves."""
    if not event.has_ended:
        raise FeedbackError(FeedbackCode.NOT_ENDED)
    if not _attended(event, member):
        raise FeedbackError(FeedbackCode.NOT_ATTENDED)
    try:
        cleaned = clean_image(image)
    except ValidationError as exc:
        raise FeedbackError(FeedbackCode.BAD_IMAGE) from exc
    return EventPhoto.objects.create(event=event, author=member, image=cleaned, caption=caption[:200])


@transaction.atomic
def approve_event_photo(*, photo_id: int, moderator: User) -> EventPhoto:
    """Only moderators make a photo public; approving twice keeps the first approval."""
    if not moderator.is_moderator:
        raise FeedbackError(FeedbackCode.FORBIDDEN)
    photo = EventPhoto.objects.select_for_update().get(pk=photo_id)
    if photo.approved_at is None:
        photo.approved_at = timezone.now()
        photo.approved_by = moderator
        photo.save(update_fields=["approved_at", "approved_by"])
    return photo


@transaction.atomic
def reject_event_photo(*, photo_id: int, moderator: User) -> None:
    """A rejected photo is deleted with its file."""
    if not moderator.is_moderator:
        raise FeedbackError(FeedbackCode.FORBIDDEN)
    photo = EventPhoto.objects.filter(pk=photo_id, approved_at__isnull=True).first()
    if photo:
        photo.image.delete(save=False)
        photo.delete()


def rate_event(*, event: EventPage, member: User, score: int, text: str = "") -> EventRating:
    """Checked-in attendees rate an ended event once, 1 to 5."""
    if not event.has_ended:
        raise FeedbackError(FeedbackCode.NOT_ENDED)
    if not _attended(event, member):
        raise FeedbackError(FeedbackCode.NOT_ATTENDED)
    if score not in range(1, 6):
        raise FeedbackError(FeedbackCode.BAD_SCORE)
    try:
        with transaction.atomic():
            return EventRating.objects.create(event=event, member=member, score=score, text=text.strip())
    except IntegrityError:
        raise FeedbackError(FeedbackCode.ALREADY_RATED) from None
