"""Members' points, coupons and the rewards catalogue; the coupon scan at /checkin/ lives beside tickets."""

import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import selectors
from events.errors import CouponCode, CouponError, RewardError
from events.forms import CheckInForm
from events.models import Reward
from events.rewards import selectors as reward_selectors
from events.rewards import services as reward_services
from portal.errors import error_message

PER_PAGE = 20


@login_required
def points(request):
    page = Paginator(reward_selectors.list_points_history(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "events/points.html", {
        "balance": reward_selectors.get_balance(request.user), "page": page})


@login_required
def points_balance(request):
    """The dashboard re-reads the figure when a points notification arrives over the socket."""
    return JsonResponse({"balance": reward_selectors.get_balance(request.user)})


@login_required
def coupons(request):
    page = Paginator(reward_selectors.list_member_coupons(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "events/coupons.html", {"page": page, "now": timezone.now()})


@login_required
def coupon(request, code):
    item = reward_selectors.get_coupon(code)
    if item is None or (item.owner_id != request.user.pk and not request.user.is_moderator):
        raise Http404
    qr = segno.make(item.code, error="m").svg_inline(scale=8, dark="#1f1d1b", border=2, omitsize=True)
    return render(request, "events/coupon.html", {"coupon": item, "qr": qr, "now": timezone.now()})


@login_required
def catalogue(request):
    return render(request, "events/rewards.html", {
        "rewards": reward_selectors.list_available_rewards(request.user),
        "balance": reward_selectors.get_balance(request.user),
    })


@login_required
@require_POST
def redeem(request, reward_id):
    reward = get_object_or_404(Reward, pk=reward_id)
    try:
        item = reward_services.redeem_reward(member=request.user, reward=reward)
    except RewardError as exc:
        messages.error(request, error_message(exc))
        return redirect("events:rewards")
    messages.success(request, _("Redeemed! Show this code at the store."))
    return redirect("events:coupon", code=item.code)


def scan_coupon(request, store) -> dict:
    """Use the posted coupon code at `store`; returns the check-in page's result (green or red)."""
    try:
        use, created = reward_services.use_coupon(
            code=request.POST.get("code", ""), staff=request.user, store=store,
            scan_id=request.POST.get("scan_id") or secrets.token_hex(8))
    except CouponError as exc:
        if exc.code == CouponCode.FORBIDDEN:
            raise PermissionDenied from exc
        return {"ok": False, "reason": error_message(exc), "coupon": exc.coupon}
    item = use.coupon
    if created:
        return {"ok": True, "coupon": item, "uses_left": item.uses_left}
    return {"ok": True, "coupon": item, "repeat": True}


@login_required
def checkin_coupon(request):
    """A coupon or card scanned at the counter outside any event, at the staff member's own store."""
    stores = selectors.list_counter_stores(request.user)
    if not stores:
        raise PermissionDenied
    # Staff of several stores pick one; the home store, else the first, is the default.
    chosen = request.POST.get("store") or request.GET.get("store")
    store = (next((s for s in stores if str(s.pk) == chosen), None)
             or next((s for s in stores if s.pk == request.user.home_store_id), stores[0]))
    context = {"form": CheckInForm(), "scan_id": secrets.token_hex(8), "stores": stores, "store": store}
    if request.method == "POST":
        context["result"] = scan_coupon(request, store)
    return render(request, "events/checkin_coupon.html", context)
