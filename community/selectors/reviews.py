"""Service reviews: a store's or a practitioner's summary, a member's visits to review, attended events."""

from django.db.models import (
    Avg,
    Count,
)
from django.shortcuts import get_object_or_404
from wagtail.models import Page

from community.models import (
    ReviewAnswer,
    ServiceReview,
    ServiceVisit,
)
from content.selectors import staffed_store_ids
from portal.caching.pages import GENERATION

# Store and practitioner pages show reviews and their answers to anonymous visitors at once.
GENERATION.depends_on(ServiceReview)
GENERATION.depends_on(ReviewAnswer)


def _review_summary(reviews, user=None) -> dict:
    """Averages and count of some reviews, with the latest few, their answers and, for a signed-in
    reader, which of them the reader may still answer (the practitioner or the store's staff)."""
    summary = reviews.aggregate(
        count=Count("pk"), process=Avg("process"), courtesy=Avg("courtesy"),
        technique=Avg("technique"),
    )
    latest = list(reviews.select_related("visit__member", "visit__store", "practitioner",
                                         "answer__author")[:5])
    staffed = staffed_store_ids(user) if user is not None else frozenset()
    for review in latest:
        # A missing reverse one-to-one raises an AttributeError subclass: no answer yet.
        answer = getattr(review, "answer", None)
        review.public_answer = answer
        review.can_answer = bool(
            answer is None and user is not None and user.is_authenticated
            and not user.is_suspended
            and ((review.practitioner and review.practitioner.user_id == user.pk)
                 or review.visit.store_id in staffed)
        )
    summary["latest"] = latest
    return summary


def store_review_summary(store, user=None) -> dict:
    return _review_summary(ServiceReview.objects.filter(visit__store=store), user)


def practitioner_review_summary(practitioner, user=None) -> dict:
    return _review_summary(ServiceReview.objects.filter(practitioner=practitioner), user)


def attended_events(user):
    """Live event pages the user checked in at (their visits proven by attendance), newest
    first; plain pages because community may not import events."""
    if not user.is_authenticated:
        return Page.objects.none()
    visits = ServiceVisit.objects.filter(member=user, event__isnull=False)
    return Page.objects.live().filter(pk__in=visits.values("event_id")).order_by("-pk")


def get_review(review_id: int) -> ServiceReview:
    return get_object_or_404(
        ServiceReview.objects.select_related("visit__store", "visit__member", "practitioner"),
        pk=review_id,
    )


def list_reviewable_visits(member):
    return ServiceVisit.objects.filter(member=member, review__isnull=True).select_related("store")

def get_user_visit(*, member, visit_id: int) -> ServiceVisit:
    return get_object_or_404(
        ServiceVisit.objects.select_related("store"), pk=visit_id, member=member
    )
