"""Live notifications: every open tab of a user joins `notifications.<id>`, where `notify` pushes."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from portal.services import notification_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    group = None

    async def connect(self):
        user = self.scope["user"]
        await self.accept()
        if not user.is_authenticated:
            await self.close(code=4403)
            return
        self.group = notification_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The page's heartbeat re-adds this socket before the layer's group_expiry drops it.
        if self.group and content.get("type") == "ping":
            await self.channel_layer.group_add(self.group, self.channel_name)

    async def notify_new(self, event):
        await self.send_json({"type": "notification", **event["payload"]})
