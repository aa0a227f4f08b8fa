"""All WebSocket routes: each app exports its own `websocket_urlpatterns`."""

from django.conf import settings
from django.urls import path, re_path

from community.routing import websocket_urlpatterns as community_routes
from events.routing import websocket_urlpatterns as events_routes
from portal.consumers import BenchMinimalChatConsumer, NoRouteConsumer
from portal.routing import websocket_urlpatterns as portal_routes

websocket_urlpatterns = [
    *portal_routes,
    *community_routes,
    *events_routes,
    re_path(r"", NoRouteConsumer.as_asgi()),  # last: whatever the routes above do not take
]

if settings.BENCH:
    websocket_urlpatterns.insert(0, path("ws/bench/minimal/", BenchMinimalChatConsumer.as_asgi()))
