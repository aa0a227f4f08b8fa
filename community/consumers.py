"""Live topic updates: readers join the topic's group and receive each new post."""

from channels.db import database_sync_to_async

from community import permissions
from community.models import Topic
from portal.websocket import JsonFrameConsumer


def can_follow_topic(user, topic_id: int) -> bool:
    topic = Topic.objects.select_related("forum").filter(pk=topic_id).first()
    return topic is not None and permissions.can_see_topic(user, topic)


class TopicConsumer(JsonFrameConsumer):
    async def connect(self):
        self.topic_id = int(self.scope["url_route"]["kwargs"]["topic_id"])
        if not await database_sync_to_async(can_follow_topic)(self.scope["user"], self.topic_id):
            await self.close(code=4403)
            return
        await self.join_group(f"topic.{self.topic_id}")
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            return  # the heartbeat renewed the groups (JsonFrameConsumer)
        # Readers only listen; posting goes through the form so limits and uploads apply.
        await self.send_json({"type": "error", "code": "read_only"})

    async def topic_post(self, event):
        await self.send_json({"type": "post", **event["payload"]})
