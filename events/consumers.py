from events.services import event_group
from portal.websocket import JsonFrameConsumer


class EventSeatsConsumer(JsonFrameConsumer):
    """Read-only: announces seats left for one event to everyone viewing its page."""

    async def connect(self):
        self.group = event_group(int(self.scope["url_route"]["kwargs"]["event_id"]))
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "error", "code": "read_only"})

    async def event_seats(self, event):
        await self.send_json({"type": "seats", "seats_left": event["seats_left"]})
