from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal import selectors, services
from portal.errors import ApplicationError, error_message
from portal.models import ProviderApplication


def _require_moderator(request):
    if not request.user.is_moderator:
        raise PermissionDenied


def provider_applications(request):
    _require_moderator(request)
    return TemplateResponse(
        request,
        "portal/admin/provider_applications.html",
        {"applications": selectors.list_pending_applications()},
    )


@require_POST
def provider_application_decide(request, application_id):
    _require_moderator(request)
    application = get_object_or_404(ProviderApplication, pk=application_id)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_provider_application(
                application_id=application.pk, moderator=request.user
            )
            messages.success(request, _("Approved: %(user)s is now a provider.") % {
                "user": application.user
            })
        else:
            services.reject_provider_application(
                application_id=application.pk,
                moderator=request.user,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Rejected; %(user)s was told why.") % {
                "user": application.user
            })
    except ApplicationError as exc:
        messages.error(request, error_message(exc))
    return redirect("provider_applications")
