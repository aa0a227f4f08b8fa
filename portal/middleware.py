"""Request ids in every log line, the signed-in user's preferred language, the CSP header."""

import contextvars
import logging
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
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

    def process_response(self, request, response):
        """Outside the admin, a response with no policy of its own (no csp decorator, no nonce)
        gets the site's policy, built from the settings once: building it, and the report-only
        one, on every response was a seventh of a signed-in hello view's time (bench/cost.py)."""
        if (request.path_info.startswith(ADMIN_PREFIX)
                or getattr(request, "_csp_nonce", None) is not None
                or any(getattr(response, name, None) is not None for name in OWN_POLICY)
                or (response.status_code in (500, 404) and settings.DEBUG)):
            return super().process_response(request, response)
        for header, name, exempt, report_only in SITE_POLICIES:
            setting = getattr(settings, name, None)
            built, config = _site_policy(setting, report_only), setting or {}
            if (built and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(
                        tuple(config.get("EXCLUDE_URL_PREFIXES", None) or ()))):
                response[header] = built
        # As CSPMiddleware does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.update = {**ADMIN_POLICY_ADDITIONS, **(parts.update or {})}
            parts.replace = {**ADMIN_POLICY_REPLACEMENTS, **(parts.replace or {})}
        return parts


ADMIN_PREFIX = "/admin/"
# What a response or a request may carry that makes its policy its own (csp.decorators, a nonce).
OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
              "_csp_replace_ro")
SITE_POLICIES = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
)
_built: dict = {}


def _site_policy(setting, report_only: bool) -> str:
    """The header csp builds from `setting`, built once per setting object (tests override
    settings with new ones)."""
    found = _built.get(report_only)
    if found is None or found[0] is not setting:
        found = _built[report_only] = (setting, build_policy(report_only=report_only))
    return found[1]
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
