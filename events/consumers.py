from events.services import event_group
from portal.websocket import JsonFrameConsumer


class EventSeatsConsumer(JsonFrameConsumer):
    """Read-only: announces seats left for one event to everyone viewing its page."""

    async def connect(self):
        await self.join_group(event_group(int(self.scope["url_route"]["kwargs"]["event_id"])))
        await self.accept()

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            return  # the heartbeat renewed the groups (JsonFrameConsumer)
        await self.send_json({"type": "error", "code": "read_only"})

    async def event_seats(self, event):
        await self.send_json({"type": "seats", "seats_left": event["seats_left"]})
