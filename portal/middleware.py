"""Request ids in every log line, and the signed-in user's preferred language."""

import contextvars
import logging
import uuid

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
