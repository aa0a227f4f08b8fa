from django.urls import path

from community.chat.consumers import ChatConsumer
from community.consumers import TopicConsumer

websocket_urlpatterns = [
    path("ws/topics/<id:topic_id>/", TopicConsumer.as_asgi()),
    path("ws/chat/<slug:room>/", ChatConsumer.as_asgi()),
]
