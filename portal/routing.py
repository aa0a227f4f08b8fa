"""Portal's WebSocket route: the signed-in user's notifications (tend/routing.py joins every app's)."""

from django.urls import path

from portal.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
