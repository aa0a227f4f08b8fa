"""Live notifications: every open tab of a user joins `notifications.<id>`, where `notify` pushes."""

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation

from portal import notifications, presence
from portal.rooms import live_counts
from portal.services import notification_group
from portal.websocket import JsonFrameConsumer


class NotificationConsumer(JsonFrameConsumer):
    online = False

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            # Accept first: a close before accepting cannot carry the code to the browser.
            await self.accept()
            await self.close(code=4403)
            return
        await self.join_group(notification_group(user.pk))
        # Every signed-in page holds this socket: while one is open, the user is online and
        # notifications that e-mail only the absent stay on the site. Both before accepting, so an
        # open socket is one that hears and counts.
        await sync_to_async(presence.touch_user)(user.pk, self.channel_name)
        self.online = True
        await self.accept()
        # Counts other apps keep live here (the chat's unread total), as they stand now.
        for frame in await sync_to_async(live_counts)(user):
            await self.send_json(frame)

    async def disconnect(self, code):
        if self.online:
            await sync_to_async(presence.leave_user)(self.scope["user"].pk, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The page's heartbeat ("ping") renews the groups (JsonFrameConsumer) and keeps its user online.
        if self.online and content.get("type") == "ping":
            await sync_to_async(presence.touch_user)(self.scope["user"].pk, self.channel_name)

    async def notify_new(self, event):
        payload = dict(event["payload"])
        template, params = payload.pop("template", ""), payload.pop("params", {})
        # In this socket's language: one user's tabs may read different languages.
        with translation.override(self.language):
            payload["message"] = notifications.render(template, params, payload["message"])
        await self.send_json({"type": "notification", **payload})

    async def notify_frame(self, event):
        await self.send_json(event["frame"])


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
