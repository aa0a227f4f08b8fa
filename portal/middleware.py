"""Request ids in every log line, the signed-in user's preferred language, the CSP header."""

import contextvars
import logging
import uuid

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils import translation

request_id_var = contextvars.ContextVar("request_id", default="-")
user_id_var = contextvars.ContextVar("user_id", default="-")


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class UserLanguageMiddleware:
    """After authentication: a signed-in user's saved language beats the cookie and the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = user_id_var.set(str(user.pk) if user and user.is_authenticated else "-")
        try:
            if user and user.is_authenticated and user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
            return self.get_response(request)
        finally:
            user_id_var.reset(token)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict site policy everywhere; Wagtail's admin alone gets the inline allowances it needs.

    Wagtail's admin writes inline style attributes and a few inline scripts (and previews data: and
    blob: images), so under /admin/ the policy adds 'unsafe-inline' for scripts and styles. Admin
    users are editors and moderators, and everything they type is escaped or sanitised anyway.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_POLICY_ADDITIONS, **(parts.update or {})}
            parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
        return parts


ADMIN_PREFIX = "/admin/"
ADMIN_POLICY_ADDITIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:", "blob:"],
    # The admin previews pages in an iframe of its own origin.
    "frame-src": [SELF],
}
ADMIN_POLICY_REPLACEMENTS = {"frame-ancestors": [SELF]}


def query_language(request) -> str:
    """The language the address asks for with `?lang=`, if it is one the site speaks."""
    code = request.GET.get("lang", "")
    return code if code in dict(settings.LANGUAGES) else ""


class QueryLanguageMiddleware:
    """After UserLanguageMiddleware: `?lang=` names the language of that one address, for links
    that must open in a language (hreflang alternates, shared links); it beats cookie and profile
    for that request only and saves nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = query_language(request)
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
