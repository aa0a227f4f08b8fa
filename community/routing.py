from django.urls import path

from community.consumers_chat import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<slug:room>/", ChatConsumer.as_asgi()),
]
