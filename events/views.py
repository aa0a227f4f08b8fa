import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events import selectors, services
from events.calendar import build_calendar
from events.errors import CheckInCode, CheckInError, FeedbackCode, FeedbackError, RegistrationError
from events.forms import CheckInForm, PhotoForm, RatingForm
from events.models import EventPage, EventPhoto, Registration
from events.rewards.models import COUPON_PREFIX
from events.rewards.views import scan_coupon
from portal.caching import kept
from portal.caching.pages import GENERATION
from portal.errors import error_message
from portal.exports import csv_response
from portal.ids import parse_id

ACT_ON_SECONDS = 3600


def _event_by_slug(slug: str) -> EventPage:
    return get_object_or_404(EventPage.objects.live().select_related("store"), slug=slug)


def _event_to_act_on(slug: str) -> tuple[EventPage, str]:
    """Enough of a live event to act on it, and its page's address to go back to: the services lock
    and read the rest. Selecting the page's 40 columns and its store's was a sixth of a
    registration's time. Kept under the page tree's generation, which publishing, unpublishing or
    moving a page (or changing a site) renews: value and generation come in one cache round trip,
    and the address is not looked up again (the site's root paths were a round trip of their own)."""
    def read():
        event = EventPage.objects.live().only("url_path", "audience").filter(slug=slug).first()
        return None if event is None else (event, event.url)

    found = kept(f"events:act-on:{slug}", [GENERATION()], read, ACT_ON_SECONDS)
    if found is None:
        raise Http404
    return found


def _render_event(request, event: EventPage, **extra):
    return TemplateResponse(
        request, event.get_template(request), {**event.get_context(request), **extra}
    )


@login_required
@require_POST
def register(request, slug):
    event, address = _event_to_act_on(slug)
    try:
        registration = services.register_for_event(event=event, member=request.user)
    except RegistrationError as exc:
        messages.error(request, error_message(exc))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are confirmed. Your ticket is on its way by e-mail."))
        else:
            messages.warning(request, _("The event is full: you are on the waitlist."))
    return redirect(address)


@login_required
@require_POST
def cancel(request, slug):
    event, address = _event_to_act_on(slug)
    registration = get_object_or_404(Registration, event=event, member=request.user)
    try:
        if registration.status == Registration.Status.WAITLISTED:
            services.leave_waitlist(registration=registration, member=request.user)
            messages.success(request, _("You left the waitlist."))
        else:
            services.cancel_registration(registration=registration, member=request.user)
            messages.success(request, _("Your registration is cancelled."))
    except RegistrationError as exc:
        messages.error(request, error_message(exc))
    return redirect(address)


@login_required
@require_POST
def rate(request, slug):
    event = _event_by_slug(slug)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_event(event=event, member=request.user, **form.cleaned_data)
        except FeedbackError as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect(event.url)
    return _render_event(request, event, rating_form=form)


@login_required
@require_POST
def upload_photo(request, slug):
    event = _event_by_slug(slug)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_event_photo(event=event, member=request.user, **form.cleaned_data)
        except FeedbackError as exc:
            form.add_error("image" if exc.code == FeedbackCode.BAD_IMAGE else None, error_message(exc))
        else:
            messages.success(request, _("Thank you! Your photo appears once a moderator approves it."))
            return redirect(event.url)
    return _render_event(request, event, photo_form=form)


def _ics_response(events, filename: str) -> HttpResponse:
    response = HttpResponse(build_calendar(events), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_calendar(request, slug):
    event = _event_by_slug(slug)
    return _ics_response([event], f"{event.slug}.ics")


def all_calendar(request):
    return _ics_response(selectors.list_upcoming_events()[:500], "tend-events.ics")


@login_required
def ticket(request, code):
    registration = selectors.get_ticket(code)
    if registration is None:
        raise Http404
    if registration.member_id != request.user.pk and not selectors.can_manage_store(
        request.user, registration.event.store_id
    ):
        raise Http404
    # A viewBox, not a width and height: the CSS sizes the code to the card; with a fixed size
    # the drawing kept its 232 px in a 320 px box and left a blank band.
    qr = segno.make(registration.ticket_code, error="m").svg_inline(scale=8, dark="#1f1d1b", border=2,
                                                                     omitsize=True)
    return render(request, "events/ticket.html", {"registration": registration, "event": registration.event,
                                                  "qr": qr})


def _staff_event(request, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage.objects.live().select_related("store"), pk=event_id)
    if not selectors.can_manage_store(request.user, event.store_id):
        raise PermissionDenied
    return event


@login_required
def checkin_home(request):
    if not (request.user.is_store_staff or request.user.is_moderator):
        raise PermissionDenied
    events = selectors.list_checkin_events(request.user)
    return render(request, "events/checkin_home.html", {"events": events})


@login_required
def checkin_event(request, event_id):
    event = _staff_event(request, event_id)
    context = {"event": event, "form": CheckInForm(), "scan_id": secrets.token_hex(8),
               "too_early": timezone.now() < event.check_in_opens}
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid() and form.cleaned_data["code"].startswith(COUPON_PREFIX):
            context["result"] = scan_coupon(request, event.store)
        elif form.is_valid():
            try:
                check_in, created = services.check_in_attendee(
                    code=form.cleaned_data["code"], event=event, staff=request.user
                )
            except CheckInError as exc:
                if exc.code == CheckInCode.FORBIDDEN:
                    raise PermissionDenied from exc
                context["result"] = {"ok": False, "reason": error_message(exc),
                                     "registration": exc.registration}
            else:
                registration = check_in.registration
                if created:
                    context["result"] = {"ok": True, "registration": registration}
                else:
                    when = timezone.localtime(check_in.checked_in_at, event.tz).strftime("%H:%M")
                    by = check_in.checked_in_by.name if check_in.checked_in_by else "?"
                    context["result"] = {
                        "ok": False,
                        "registration": registration,
                        "reason": _("Already checked in at %(time)s by %(name)s")
                        % {"time": when, "name": by},
                    }
        else:
            context["form"] = form
    return render(request, "events/checkin_event.html", context)


@login_required
def attendees(request, event_id):
    event = _staff_event(request, event_id)
    if request.method == "POST":
        count = services.mark_no_shows(event=event)
        messages.success(request, ngettext("%(count)s no-show marked.", "%(count)s no-shows marked.", count)
                         % {"count": count})
        return redirect("events:attendees", event_id=event.pk)
    return render(request, "events/attendees.html", {"event": event,
                                                     "attendees": selectors.list_attendees(event)})


@login_required
def attendees_csv(request, event_id):
    event = _staff_event(request, event_id)

    def local(moment):
        return timezone.localtime(moment, event.tz).strftime("%Y-%m-%d %H:%M")

    def row(reg):
        check_in = getattr(reg, "check_in", None)
        return [
            reg.member.name,
            reg.member.email,
            reg.status,
            local(reg.queued_at),
            local(check_in.checked_in_at) if check_in else "",
            check_in.checked_in_by.name if check_in and check_in.checked_in_by else "",
        ]

    header = ["name", "email", "status", "registered_at", "checked_in_at", "checked_in_by"]
    return csv_response(f"{event.slug}-attendees.csv", [header, *map(row, selectors.list_attendees(event))])


@login_required
def moderate_photos(request):
    if not request.user.is_moderator:
        raise PermissionDenied
    if request.method == "POST":
        photo_id = parse_id(request.POST.get("photo"))
        if photo_id is None:
            raise Http404
        if request.POST.get("action") == "approve":
            try:
                services.approve_event_photo(photo_id=photo_id, moderator=request.user)
            except EventPhoto.DoesNotExist:
                # Another moderator rejected it first (or the id was made up): say so, not a 500.
                messages.error(request, _("That photo was already removed."))
            else:
                messages.success(request, _("Photo approved."))
        else:
            services.reject_event_photo(photo_id=photo_id, moderator=request.user)
            messages.success(request, _("Photo removed."))
        return redirect("events:moderate_photos")
    return render(request, "events/moderate_photos.html", {"photos": selectors.list_pending_photos()})
