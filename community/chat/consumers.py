"""The chat socket: join the room's hub first, catch up from the database, then forward broadcasts in
order (the hub puts them in order once per process; see chat_hub)."""

import json
import logging

from django.utils import translation

from community.chat import backlog as chat_backlog
from community.chat import hub as chat_hub
from community.chat import presence as chat_presence
from community.chat import selectors as chat_selectors
from community.chat import services as chat_services
from community.chat.hub import db
from community.chat.models import Message
from community.errors import ChatCode, ChatError
from portal.errors import error_frame, transient
from portal.websocket import JsonFrameConsumer

log = logging.getLogger(__name__)

# Seconds after which a page sends again what met a passing failure (the database or Redis away).
RETRY_AFTER_UNAVAILABLE = 0.5


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class ChatConsumer(JsonFrameConsumer):
    room = None
    hub = None
    backlog = None
    too_slow = False

    async def connect(self):
        self.user = self.scope["user"]
        slug = self.scope["url_route"]["kwargs"]["room"]
        self.room = await db(chat_selectors.get_room)(slug)
        allowed = self.room is not None and await db(chat_services.can_join_room)(
            self.user, self.room
        )
        await self.accept()
        if not allowed:
            # Accept first: a close before accepting cannot carry the 4403 code to the browser.
            self.room = None
            await self.close(code=4403)
            return
        self.group = chat_services.room_group(self.room.pk)
        self.backlog = chat_backlog.watch(self.base_send)
        # Broadcasts that arrive while the history is read wait here, then go out de-duplicated.
        self.pending = []
        self.hub = await chat_hub.join(self.room.pk, self)
        await self._catch_up(self._after())
        while self.pending:
            seq, text = self.pending.pop(0)
            await self._forward(seq, text)
        self.pending = None
        await self._presence(join=True)
        if self.hub.presence_text is not None:
            # The roster is only pushed when it changes: another tab of someone present gets it here.
            await self.send(text_data=self.hub.presence_text)

    def _after(self):
        for pair in self.scope.get("query_string", b"").decode().split("&"):
            key, _sep, value = pair.partition("=")
            if key == "after":
                return _int(value)
        return None

    @db
    def _load_history(self, after):
        self.room.refresh_from_db(fields=["last_seq"])
        if after is not None and 0 <= after <= self.room.last_seq:
            missed = chat_selectors.count_messages_after(self.room, after)
            if missed <= chat_selectors.CATCH_UP_LIMIT:
                return False, after, chat_selectors.list_messages_after(self.room, after)
            return True, 0, chat_selectors.list_recent_messages(self.room)
        return False, None, chat_selectors.list_recent_messages(self.room)

    async def _catch_up(self, after):
        """Everything after the client's last seq (de-duplicated against broadcasts by seq)."""
        reload, after, messages = await self._load_history(after)
        if reload:
            await self.send_json({"type": "reload"})
        self.last_seq = messages[-1]["seq"] if messages else (after or 0)
        await self.send_json({
            "type": "history",
            "reset": after is None or reload,
            "messages": messages,
            "more": bool(messages) and messages[0]["seq"] > 1 and after is None,
            "can_post": not self.user.is_suspended,
        })

    async def __call__(self, scope, receive, send):
        """However the consumer ends, its socket leaves the room's hub. A handler that raises (Redis
        down while a message is sent, or while connecting) ends the consumer without a disconnect:
        the hub kept the dead socket, and with it a stale last seq, for the life of the process
        (found by make chaos: after a Redis restart a room's later messages never reached that
        process's new sockets)."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._leave()

    async def _leave(self):
        hub, self.hub = self.hub, None
        if hub is not None:
            await chat_hub.leave(hub, self)

    async def disconnect(self, code):
        if self.hub is None:
            return
        try:
            await self._presence(join=False)
        finally:
            await self._leave()

    async def _presence(self, join: bool):
        args = (self.room.pk, self.user.pk, self.user.name, self.channel_name)
        if join:
            await db(chat_presence.touch)(*args)
        else:
            await db(chat_presence.leave)(*args)
        # Each process's hub reads the roster once for a burst of joins and leaves.
        self.hub.announce_presence()

    async def receive_json(self, content, **kwargs):
        if self.room is None:
            return
        handler = {
            "send": self._send_message,
            "edit": self._edit,
            "delete": self._delete,
            "report": self._report,
            "typing": self._typing,
            "read": self._read,
            "ping": self._ping,
        }.get(content.get("type"))
        if handler is None:
            await self._error(ChatCode.BAD_REQUEST)
            return
        try:
            await handler(content)
        except ChatError as exc:
            await self._error(exc, content.get("client_id"), exc.retry_after)
        except Message.DoesNotExist:
            await self._error(ChatCode.NOT_FOUND)
        except Exception as exc:
            if not transient(exc):
                raise
            # A terminated database connection (replaced on the next call) or Redis away: the socket
            # stays, and the page sends the same client id again, which stores it once.
            log.warning("chat %s in room %s failed: %r", content.get("type"), self.room.pk, exc)
            await self._error(ChatCode.UNAVAILABLE, content.get("client_id"), RETRY_AFTER_UNAVAILABLE)

    async def _error(self, error: ChatError | ChatCode, client_id=None, retry_after=0):
        with translation.override(self.language):
            frame = error_frame(error, client_id=client_id)
        if retry_after:
            # Seconds until the rate limit takes this message: the page waits that long and resends it.
            frame["retry_after"] = retry_after
        await self.send_json(frame)

    async def _send_message(self, content):
        message, _created = await db(chat_services.post_message)(
            author=self.user, room=self.room, body=str(content.get("body", "")),
            client_id=str(content.get("client_id", "")),
        )
        # The broadcast carries the message; the ack lets the sender's page drop it from its queue.
        await self.send_json({
            "type": "ack", "client_id": message.client_id, "id": message.pk, "seq": message.seq
        })

    async def _message_in_room(self, content) -> int:
        message_id = _int(content.get("id"))
        if message_id is None or not await db(
            Message.objects.filter(pk=message_id, room=self.room).exists
        )():
            raise ChatError(ChatCode.NOT_FOUND)
        return message_id

    async def _edit(self, content):
        await db(chat_services.edit_message)(
            user=self.user, message_id=await self._message_in_room(content), body=str(content.get("body", ""))
        )

    async def _delete(self, content):
        await db(chat_services.delete_message)(
            user=self.user, message_id=await self._message_in_room(content)
        )

    async def _report(self, content):
        message_id = await self._message_in_room(content)
        await db(chat_services.report_message)(
            reporter=self.user, message_id=message_id, reason=str(content.get("reason", ""))
        )
        await self.send_json({"type": "reported", "id": message_id})

    async def _typing(self, content):
        if await db(chat_services.typing_allowed)(user=self.user, room=self.room):
            await self.channel_layer.group_send(
                self.group, {"type": "chat.typing", "user_id": self.user.pk, "name": self.user.name}
            )

    async def _read(self, content):
        seq = _int(content.get("seq"))
        if seq is not None:
            await db(chat_services.mark_room_read)(
                user=self.user, room=self.room, seq=seq
            )

    async def _ping(self, content):
        # The heartbeat keeps this socket's presence entry from expiring.
        await db(chat_presence.touch)(
            self.room.pk, self.user.pk, self.user.name, self.channel_name
        )
        if self.hub.presence_text is None:
            people = await db(chat_presence.roster)(self.room.pk)
            self.hub.presence_text = json.dumps({"type": "presence", "people": people})
        await self.send(text_data=self.hub.presence_text)
        # The room's last stored seq: a page that has less fetches what it lacks, whatever went
        # wrong between the database and this socket.
        await self.send_json({"type": "heartbeat", "seq": await self.hub.stored_seq()})

    async def deliver(self, seq: int, text: str):
        """From the hub: a pre-serialised frame; `seq` is the message's number, 0 for other frames."""
        if self.pending is not None:
            self.pending.append((seq, text))
        else:
            await self._forward(seq, text)

    async def _forward(self, seq: int, text: str):
        if self.too_slow:
            return  # closing: the page catches up from the database when it reconnects
        if self.backlog is not None and self.backlog.too_far_behind(len(text)):
            self.too_slow = True
            await self.close(code=chat_backlog.TOO_SLOW)
            return
        if seq:
            if seq <= self.last_seq:
                return  # already sent by the catch-up
            self.last_seq = seq
        await self.send(text_data=text)
