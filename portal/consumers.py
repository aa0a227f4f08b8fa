"""Live notifications: every open tab of a user joins `notifications.<id>`, where `notify` pushes."""

from channels.generic.websocket import AsyncWebsocketConsumer

from portal.services import notification_group
from portal.websocket import JsonFrameConsumer


class NotificationConsumer(JsonFrameConsumer):
    async def connect(self):
        user = self.scope["user"]
        await self.accept()
        if not user.is_authenticated:
            await self.close(code=4403)
            return
        await self.join_group(notification_group(user.pk))

    async def receive_json(self, content, **kwargs):
        pass  # the page's heartbeat ("ping") only renews the groups (JsonFrameConsumer)

    async def notify_new(self, event):
        await self.send_json({"type": "notification", **event["payload"]})


class NoRouteConsumer(AsyncWebsocketConsumer):
    """Any socket address no route takes (an id too large to exist, a typo): closed with 4404, where
    Channels' router would raise and the server log a 500."""

    async def connect(self):
        # Accept first: a close before accepting cannot carry the code to the browser.
        await self.accept()
        await self.close(code=4404)


class BenchMinimalChatConsumer(AsyncWebsocketConsumer):
    """The chat benchmark's yardstick (routed only when BENCH): the textbook Channels chat, every
    message group_sent to every socket, with no storage, no auth and no ordering."""

    group = "bench-minimal"

    async def connect(self):
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "bench.message", "text": text_data})

    async def bench_message(self, event):
        await self.send(text_data=event["text"])
