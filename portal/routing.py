"""All WebSocket routes: each app exports its own `websocket_urlpatterns`."""

from community.routing import websocket_urlpatterns as community_routes
from events.routing import websocket_urlpatterns as events_routes

websocket_urlpatterns = [*community_routes, *events_routes]
