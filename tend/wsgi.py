"""WSGI entry point, HTTP only: the site is served by daphne through tend/asgi.py, which also carries
the WebSockets (chat, notifications, check-in). Kept for tools that expect Django's standard module."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")

application = get_wsgi_application()
