"""Service reviews: a member's visits to review, reviewing one, staff recording a visit and answering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community import selectors, services
from community.errors import ReviewError
from community.forms import (
    AnswerForm,
    ReviewForm,
    VisitForm,
)
from content.selectors import staffed_store_ids
from portal.errors import error_message


@login_required
def reviews(request):
    return render(request, "community/reviews.html", {
        "visits": selectors.list_reviewable_visits(request.user)})


@login_required
def review_visit(request, visit_id):
    visit = selectors.get_user_visit(member=request.user, visit_id=visit_id)
    form = ReviewForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_service_review(member=request.user, visit=visit, **form.cleaned_data)
        except ReviewError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("community:reviews")
    return render(request, "community/review_form.html", {"visit": visit, "form": form})


@login_required
def record_visit(request):
    user = request.user
    if not (user.is_superuser or user.is_staff or staffed_store_ids(user)):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_service_visit(staff=request.user, **form.cleaned_data)
        except ReviewError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Visit recorded: the member can now review it."))
            return redirect("community:record_visit")
    return render(request, "community/visit_form.html", {"form": form})


@login_required
def review_answer(request, review_id):
    review = selectors.get_review(review_id)
    if not services.can_answer_review(request.user, review):
        raise PermissionDenied
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_review(author=request.user, review=review,
                                   text=form.cleaned_data["text"])
        except ReviewError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Your answer is published."))
            return redirect(review.practitioner.url if review.practitioner else
                            review.visit.store.url)
    return render(request, "community/review_answer.html", {"review": review, "form": form})
