"""Moderators' rewards admin: a member's ledger with audited adjustments, and the monthly reports."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from events.errors import RewardError
from events.rewards import selectors as reward_selectors
from events.rewards import services as reward_services
from portal.errors import error_message
from portal.exports import csv_response
from portal.models import User


class AdjustmentForm(forms.Form):
    amount = forms.IntegerField(label=_("Points (negative to take away)"))
    note = forms.CharField(label=_("Reason"), max_length=300)


def _require_moderator(request):
    if not request.user.is_moderator:
        raise PermissionDenied


def ledger_search(request):
    _require_moderator(request)
    query = request.GET.get("q", "").strip()
    members = (
        User.objects.filter(email__icontains=query) | User.objects.filter(display_name__icontains=query)
    ).order_by("email")[:50] if query else []
    return TemplateResponse(request, "events/admin/ledger_search.html", {"query": query, "members": members})


def member_ledger(request, user_id):
    _require_moderator(request)
    member = get_object_or_404(User, pk=user_id)
    form = AdjustmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reward_services.adjust_points(member=member, staff=request.user, **form.cleaned_data)
        except RewardError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Points adjusted."))
            return redirect("rewards_member_ledger", user_id=member.pk)
    page = Paginator(reward_selectors.list_points_history(member), 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "events/admin/member_ledger.html", {
        "member": member, "balance": reward_selectors.get_balance(member), "page": page, "form": form,
    })


def reports(request):
    _require_moderator(request)
    months = reward_selectors.monthly_points_report()
    stores = reward_selectors.attendance_per_store_report()
    if request.GET.get("format") == "csv":
        return csv_response("tend-rewards-report.csv", [
            ["month", "points_issued", "points_redeemed", "points_adjusted"],
            *([row["month"].strftime("%Y-%m"), row["issued"], row["redeemed"], row["adjusted"]]
              for row in months),
            [],
            ["store", "attendances", "events"],
            *([row["store"], row["attended"], row["events"]] for row in stores),
        ])
    return TemplateResponse(request, "events/admin/reports.html", {"months": months, "stores": stores})
