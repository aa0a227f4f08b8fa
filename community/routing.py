from django.urls import path

from community.consumers import TopicConsumer
from community.consumers_chat import ChatConsumer

websocket_urlpatterns = [
    path("ws/topics/<id:topic_id>/", TopicConsumer.as_asgi()),
    path("ws/chat/<slug:room>/", ChatConsumer.as_asgi()),
]
