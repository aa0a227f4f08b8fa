import asyncio
import logging
import sys
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import check_for_language, get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.static import serve as static_serve
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from portal import private_media, selectors, services
from portal.adapters import REFERRAL_SESSION_KEY
from portal.caching import page_tree_key, read, store
from portal.errors import ApplicationError, error_message
from portal.forms import NotificationPreferencesForm, ProfileForm, ProviderApplicationForm
from portal.models import User
from portal.redirects import next_url

log = logging.getLogger(__name__)
ROUTE_SECONDS = 3600


@login_required
def dashboard(request):
    application, recent = selectors.dashboard_state(request.user)
    return render(
        request,
        "portal/dashboard.html",
        {
            # A verified provider's card says so; only others see their application's state.
            "application": None if request.user.is_provider else application,
            "recent_notifications": recent,
            "referral_count": request.user.referrals.count(),
        },
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"form": form})


@login_required
def notifications(request):
    page = selectors.get_notifications_page(request.user, request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@login_required
@require_POST
def notification_read(request, notification_id):
    services.mark_notification_read(user=request.user, notification_id=notification_id)
    return redirect(next_url(request, "/me/notifications/"))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.mark_all_notifications_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("portal:notifications")


@login_required
def notification_settings(request):
    form = NotificationPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.cleaned_data.items():
            services.set_notification_preference(user=request.user, kind=kind, channel=channel)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("portal:notification_settings")
    return render(request, "portal/notification_settings.html", {"form": form})


@login_required
def provider_application(request):
    latest = selectors.get_latest_application(request.user)
    form = ProviderApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_as_provider(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(
                request, _("Thank you! A moderator will review your application soon.")
            )
        return redirect("portal:dashboard")
    return render(
        request, "portal/provider_application.html", {"form": form, "application": latest}
    )


def public_media(request, path):
    """Uploads for everyone, in development and tests (production's proxy serves MEDIA_ROOT). The root
    is read per request, so the one a test sets is the one served."""
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


@require_safe
def private_file(request, name):
    """A private upload (portal.private_media) for whoever its folder's rule lets see it. Anyone else
    gets the same 404 as for a name that was never stored, so the answer reveals nothing."""
    if not private_media.may_see(request.user, name):
        raise Http404
    try:
        file = private_media.private_storage().open(name)
    except FileNotFoundError:
        raise Http404 from None
    # FileResponse adds `Content-Disposition: inline` (shown in the page, not downloaded).
    response = FileResponse(file, content_type=private_media.content_type(name))
    response["X-Content-Type-Options"] = "nosniff"
    # Browsers may keep it (a name's bytes never change); shared caches and proxies may not.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def referral(request, code):
    """A friend's link: remember the code for sign-up. Existing accounts are never re-tied."""
    if request.user.is_authenticated:
        messages.info(request, _("Referral links are for new members. Share your own from your dashboard."))
        return redirect("portal:dashboard")
    if not User.objects.filter(referral_code=code).exists():
        messages.warning(request, _("That invitation link is not valid, but you can still sign up."))
        return redirect("account_signup")
    request.session[REFERRAL_SESSION_KEY] = code
    messages.info(request, _("A friend invited you to Tend. Sign up to join them."))
    return redirect("account_signup")


@require_POST
def set_language(request):
    """Switch language; a signed-in user's choice is saved to the profile too."""
    code = request.POST.get("language", "")
    response = redirect(next_url(request, "/"))
    if not check_for_language(code) or code not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        request.user.language = code
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _check(name, probe):
    try:
        probe()
        return name, "ok"
    except Exception as exc:
        log.warning("health check %s failed: %s", name, exc)
        return name, "error"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _channel_layer():
    layer = get_channel_layer()

    async def roundtrip():
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=3)
        if message.get("type") != "health.ping":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(roundtrip)()


def _tasks():
    """With the worker backend, a stopped `db_worker` leaves e-mails waiting: nothing ready may
    have waited TASKS_STALE_SECONDS. Inline tasks cannot wait."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return
    waited = timezone.now() - timedelta(seconds=settings.TASKS_STALE_SECONDS)
    if DBTaskResult.objects.ready().filter(backend_name=backend.alias,
                                           enqueued_at__lt=waited).exists():
        raise RuntimeError("tasks are waiting: is db_worker running?")


@never_cache
def healthz(request):
    """Database, cache, channel layer and task worker; 503 names the failing part."""
    checks = dict(
        _check(name, probe)
        for name, probe in (
            ("database", _database),
            ("cache", _cache),
            ("channel_layer", _channel_layer),
            ("tasks", _tasks),
        )
    )
    failing = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "ok" if not failing else "error", "checks": checks, "failing": failing}
    return JsonResponse(body, status=503 if failing else 200)


def bench_hello(request):
    """The benchmark's ceiling: Django's request path with no work (routed only when BENCH)."""
    return HttpResponse("hello", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    """A database that is down or restarting answers 503 with a retry hint, not "something broke".

    Django calls this inside its exception handler, so the error is in sys.exc_info(). Neither page
    touches the database: they render without a request (no context processors).
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def admin_login(request):
    """Wagtail's own login form would skip allauth's failed-login limits: every login goes through allauth."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("account_login") + (f"?{query}" if query else ""))


def admin_password_reset(request):
    """One password-reset flow, allauth's: the same answer for known and unknown addresses."""
    return redirect("account_reset_password")


def _route(request, path: str):
    """(site, page id, page content type) for a plain page at this address, or None (to Wagtail)."""
    site = Site.find_for_request(request)
    route = Page.route_for_request(request, path)
    if site is None or route is None or route.args or route.kwargs:
        return None  # not found, or a sub-route: Wagtail answers it as usual, uncached
    return site, route.page.pk, route.page.content_type_id


def serve(request, path):
    """Wagtail's page view with the route kept per page-tree generation (`portal.caching`). Wagtail
    finds the site (a query) and walks the tree one level at a time (two queries of ~30 columns
    each per level): a third of an uncached care tip's time. Here the page is one query; the route
    is dropped with everything else when a page is published, unpublished, moved or deleted (and a
    site changed), and a page found here still goes through Wagtail's hooks (privacy) and serve."""
    key = page_tree_key(f"route:{request.get_host()}:{request.get_port()}:{get_language()}:{path}")
    made_in, kept = read(request, key)
    found = kept.get(key)
    if found is None:
        found = _route(request, path)
        if found:  # only pages that exist: a scan of made-up addresses must not fill the cache
            store(key, made_in, found, ROUTE_SECONDS)
    else:
        site, page_id, content_type_id = found
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model.objects.live().filter(pk=page_id).first()
        if page is not None:
            request._wagtail_site = site
            request._wagtail_route_for_request = RouteResult(page)
    return wagtail_serve(request, path)
