from django.urls import path

from community.consumers import TopicConsumer

websocket_urlpatterns = [
    path("ws/topics/<int:topic_id>/", TopicConsumer.as_asgi()),
]
