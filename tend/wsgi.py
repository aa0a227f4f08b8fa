"""WSGI entry point: production serves every HTTP request here (`gunicorn tend.wsgi:application`) and only
the WebSockets (/ws/: chat, notifications, check-in) through daphne and tend/asgi.py; see README
"Production". The embedded default (`make run`) serves both from one daphne process."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")

application = get_wsgi_application()
