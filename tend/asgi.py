"""HTTP to Django; WebSockets through an Origin check and session auth to each app's routes."""

import asyncio
import os

import django
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
django.setup(set_prefix=False)


class BoundedASGIHandler(ASGIHandler):
    """Django's handler with at most HTTP_CONCURRENCY requests inside Django at once per process;
    the rest wait in the event loop. Every request used to run at once in its own thread, and 16
    of them contending for one process's GIL cost a topic page a third more CPU than one at a time
    (`make bench`). 4 kept that gain on one process and lost nothing on two; 2 left the CPU idle
    while both waited on PostgreSQL and Redis, which share the cores. Bodies are read and responses
    sent outside the bound, so a slow client holds no slot; WebSockets are not bounded."""

    def __init__(self, slots: int):
        super().__init__()
        self.slots = asyncio.Semaphore(slots)

    async def run_get_response(self, request):
        async with self.slots:
            return await super().run_get_response(request)


django_asgi_app = BoundedASGIHandler(int(os.environ.get("HTTP_CONCURRENCY", "4")))

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from tend.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
