"""Service visits and reviews: staff record visits, members review them once, staff answer."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from community.errors import ReviewCode, ReviewError
from community.models import (
    ReviewAnswer,
    ServiceReview,
    ServiceVisit,
)
from content.selectors import is_staff_of_store
from portal.models import User
from portal.notifications import Text
from portal.sanitize import linkify_text
from portal.services import notify
from portal.signals import service_review_published


def _can_record_visits(user: User, store) -> bool:
    return bool(user.is_superuser or user.is_staff or is_staff_of_store(user, store.pk))


def _practitioner_of_store(practitioner, store_id: int) -> bool:
    return practitioner.stores.filter(pk=store_id).exists()


def _get_or_create_visit(*, member: User, store_id: int, date, defaults: dict) -> ServiceVisit:
    """The same member, store and day is one visit, whoever records it first (unique constraint)."""
    try:
        with transaction.atomic():
            visit, _created = ServiceVisit.objects.get_or_create(
                member=member, store_id=store_id, date=date, defaults=defaults
            )
    except IntegrityError:
        visit = ServiceVisit.objects.get(member=member, store_id=store_id, date=date)
    return visit


def record_service_visit(*, staff: User, member: User, store, date,
                         practitioner=None) -> ServiceVisit:
    """Staff of the store record a served member, optionally by whom; a repeat is one visit."""
    if not _can_record_visits(staff, store):
        raise ReviewError(ReviewCode.FORBIDDEN)
    if practitioner is not None and not _practitioner_of_store(practitioner, store.pk):
        raise ReviewError(ReviewCode.NOT_STORE_PRACTITIONER)
    return _get_or_create_visit(member=member, store_id=store.pk, date=date,
                                defaults={"recorded_by": staff, "practitioner": practitioner})


def record_attended_visit(*, member: User, store_id: int, date, event_id: int,
                          staff: User) -> ServiceVisit:
    """A check-in at an event proves a visit to its store that day (events sends
    portal.signals.event_attended); a second check-in the same day adds nothing."""
    return _get_or_create_visit(member=member, store_id=store_id, date=date,
                                defaults={"recorded_by": staff, "event_id": event_id})


@transaction.atomic
def create_service_review(*, member: User, visit: ServiceVisit, process: int, courtesy: int,
                          technique: int, text: str, practitioner=None) -> ServiceReview:
    """Only the member served may review, once per visit, each score 1 to 5, naming at most one
    of the store's practitioners (the one staff recorded, if any).

    Reviews are public as soon as they are written, so this is the one place that sends
    portal.signals.service_review_published (rewards listen to it); a second send elsewhere
    would count the review twice.
    """
    if visit.member_id != member.pk:
        raise ReviewError(ReviewCode.NOT_YOUR_VISIT)
    if member.is_suspended:
        raise ReviewError(ReviewCode.SUSPENDED)
    if not all(1 <= int(score) <= 5 for score in (process, courtesy, technique)):
        raise ReviewError(ReviewCode.BAD_SCORE)
    if not text.strip():
        raise ReviewError(ReviewCode.EMPTY)
    practitioner = practitioner or visit.practitioner
    if practitioner is not None and (
        (visit.practitioner_id and practitioner.pk != visit.practitioner_id)
        or not _practitioner_of_store(practitioner, visit.store_id)
    ):
        raise ReviewError(ReviewCode.NOT_STORE_PRACTITIONER)
    try:
        with transaction.atomic():
            review = ServiceReview.objects.create(
                visit=visit, practitioner=practitioner, process=process, courtesy=courtesy,
                technique=technique, text=text, html=linkify_text(text),
            )
    except IntegrityError:
        raise ReviewError(ReviewCode.ALREADY_REVIEWED) from None
    # Reviews are public at once; events pays the reviewer and updates provider tiers.
    service_review_published.send(
        sender=create_service_review, review_id=review.pk, member=member, store_id=visit.store_id,
        score=(Decimal(int(process) + int(courtesy) + int(technique)) / 3).quantize(Decimal("0.01")),
    )
    if practitioner is not None and practitioner.user_id:
        reviewed = practitioner.user
        message = Text(gettext_noop("%(name)s reviewed your service. You may answer it publicly."),
                       name=member.name)
        notify(reviewed, "service_review", message, f"/community/reviews/answer/{review.pk}/")
    return review


def can_answer_review(user: User, review: ServiceReview) -> bool:
    """The practitioner reviewed (through their provider account) or staff of the store."""
    if not user.is_authenticated or user.is_suspended:
        return False
    if review.practitioner is not None and review.practitioner.user_id == user.pk:
        return True
    return is_staff_of_store(user, review.visit.store_id)


@transaction.atomic
def answer_review(*, author: User, review: ServiceReview, text: str) -> ReviewAnswer:
    """One public answer per review; a second attempt is refused, the first stays."""
    if not can_answer_review(author, review):
        raise ReviewError(ReviewCode.FORBIDDEN)
    if not text.strip():
        raise ReviewError(ReviewCode.EMPTY)
    try:
        with transaction.atomic():
            answer = ReviewAnswer.objects.create(review=review, author=author, text=text.strip(),
                                                 html=linkify_text(text.strip()))
    except IntegrityError:
        raise ReviewError(ReviewCode.ALREADY_ANSWERED) from None
    member = review.visit.member
    page = review.practitioner or review.visit.store
    message = Text(gettext_noop("%(name)s answered your review."), name=author.name)
    notify(member, "service_review", message, page.url or "")
    return answer
