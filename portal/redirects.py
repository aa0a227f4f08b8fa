"""Where a form sends its user back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """The form's or the address's `next`, when it is on this site; else `default` (never an
    open redirect to another host)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default
