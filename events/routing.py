from django.urls import path

from events.consumers import EventSeatsConsumer

websocket_urlpatterns = [
    path("ws/events/<id:event_id>/", EventSeatsConsumer.as_asgi()),
]
