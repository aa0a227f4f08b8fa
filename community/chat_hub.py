"""One listener per room and server process: the fan-out behind every chat socket.

Measured with bench/chat.py (500 sockets in one room): when every socket was its own member of the
room's channel-layer group, each message crossed Redis once per socket (serialised, queued, popped
and dispatched 500 times) and each join or leave pushed the whole roster to every socket, so the
server spent its time in the channel layer. Here the process's hub is the group's only member: a
message crosses the layer once per process, is put in seq order once (a gap is read from the database
once, not once per socket), and its text, serialised once by the sender, is written to every local
socket. Presence changes are coalesced: the roster is read once per burst of joins and leaves.
"""

import asyncio
import functools
import json
import logging
import weakref

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import InterfaceError, OperationalError, connections

from community import chat_presence, chat_selectors
from community.chat_models import Room
from community.chat_services import room_group

log = logging.getLogger(__name__)


def db(func):
    """database_sync_to_async without its close after every call. Chat's database work runs on the
    process's one sync thread, so the kept connection is one per process; opening a PostgreSQL
    connection was 19 of the 35 ms that storing a message took (with DB_CONN_MAX_AGE=0)."""

    @functools.wraps(func)
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (InterfaceError, OperationalError):
            connections.close_all()  # a broken connection is replaced on the next call
            raise

    return sync_to_async(call, thread_sensitive=True)
PRESENCE_DELAY = 0.1  # seconds: joins and leaves within it cost one roster read
REFRESH_SECONDS = 20  # re-join the group (well inside group_expiry) and re-read the roster
STOP = {"type": "hub.stop"}

# Per event loop (each test runs its own), then per room.
_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, RoomHub]]" = (
    weakref.WeakKeyDictionary()
)


class RoomHub:
    def __init__(self, room_id: int):
        self.room_id = room_id
        self.group = room_group(room_id)
        self.layer = get_channel_layer()
        self.sockets: set = set()
        self.last_seq = 0
        self.presence_text: str | None = None
        self.stopping = False
        self._presence_due = False
        self._announce_due = False
        self._listener: asyncio.Task | None = None
        self._tasks: set[asyncio.Task] = set()

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def start(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        # Read after joining the group: anything newer arrives as a broadcast, anything older is here.
        self.last_seq = await db(
            lambda: Room.objects.filter(pk=self.room_id).values_list("last_seq", flat=True).first() or 0
        )()
        self._listener = self._spawn(self._listen())
        self._spawn(self._refresh())

    async def stop(self) -> None:
        """End every task of the hub and wait for them, so none outlives it.

        The listener is not cancelled but sent STOP on its own channel: on Python 3.11 a cancel that
        lands as redis-py finishes writing a command is swallowed by asyncio.wait_for (fixed in 3.12),
        and channels_redis's receive() then blocks in BZPOPMIN again, for ever; a test's event loop
        then never closed (about one PostgreSQL+Redis run in two hung). Cancelled tasks that swallow
        the cancel the same way still end: every loop checks `stopping`."""
        self.stopping = True
        current = asyncio.current_task()
        tasks = [task for task in self._tasks if task is not current]
        for task in tasks:
            if task is not self._listener:
                task.cancel()
        if self._listener in tasks:
            try:
                await self.layer.send(self.channel, STOP)
            except Exception:
                # The layer is unreachable: the listener is failing on its own, or cancelled here.
                self._listener.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            if self._announce_due:
                # Other processes' hubs still need to hear about this process's last leave.
                await self._send_announcement()
        finally:
            await self.layer.group_discard(self.group, self.channel)

    async def _listen(self) -> None:
        try:
            while not self.stopping:
                event = await self.layer.receive(self.channel)
                if event["type"] == STOP["type"]:
                    return
                await self._dispatch(event)
        except asyncio.CancelledError:
            raise
        except Exception:
            if self.stopping:
                return
            # Without its listener the room's sockets would go silent: close them, so the pages
            # reconnect (to a fresh hub) and catch up from the database.
            log.exception("chat hub for room %s failed", self.room_id)
            _forget(self)
            for socket in list(self.sockets):
                await socket.close(code=1011)

    async def _dispatch(self, event: dict) -> None:
        kind = event["type"]
        if kind == "chat.message":
            await self._message(event["seq"], event["frame"])
        elif kind == "chat.update":
            await self._fan_out(0, event["frame"])
        elif kind == "chat.typing":
            text = json.dumps({"type": "typing", "name": event["name"]})
            await self._fan_out(0, text, skip_user=event["user_id"])
        elif kind == "chat.presence" and not self._presence_due:
            self._presence_due = True
            self._spawn(self._presence(delay=PRESENCE_DELAY))

    async def _message(self, seq: int, text: str) -> None:
        if seq <= self.last_seq:
            return  # a late broadcast of a message the sockets already have
        if seq > self.last_seq + 1:
            # An earlier message's broadcast is still on its way: send it from the database, in order.
            gap = await db(chat_selectors.list_messages_after)(
                Room(pk=self.room_id), self.last_seq, seq - 1
            )
            for frame in gap:
                await self._fan_out(frame["seq"], json.dumps(frame))
        self.last_seq = seq
        await self._fan_out(seq, text)

    async def _fan_out(self, seq: int, text: str, skip_user: int | None = None) -> None:
        for socket in list(self.sockets):
            if socket.user.pk != skip_user:
                await socket.deliver(seq, text)

    async def _presence(self, delay: float = 0) -> None:
        await asyncio.sleep(delay)
        self._presence_due = False
        people = await db(chat_presence.roster)(self.room_id)
        text = json.dumps({"type": "presence", "people": people})
        if text != self.presence_text:  # 500 names to 500 sockets is 10 MB: only when it changed
            self.presence_text = text
            await self._fan_out(0, text)

    def announce_presence(self) -> None:
        """A local join or leave: tell every process's hub, once per burst (500 sockets leaving at
        once made 500 group_sends and ran redis-py out of pooled connections)."""
        if not self._announce_due and not self.stopping:
            self._announce_due = True
            self._spawn(self._announce())

    async def _announce(self) -> None:
        await asyncio.sleep(PRESENCE_DELAY)
        await self._send_announcement()

    async def _send_announcement(self) -> None:
        self._announce_due = False
        await self.layer.group_send(self.group, {"type": "chat.presence"})

    async def _refresh(self) -> None:
        # Entries of a process that died expire from the roster; the next read shows it.
        while not self.stopping:
            await asyncio.sleep(REFRESH_SECONDS)
            await self.layer.group_add(self.group, self.channel)
            await self._presence()


def _forget(hub: RoomHub) -> None:
    rooms = _hubs.get(asyncio.get_running_loop(), {})
    if rooms.get(hub.room_id) is hub:
        del rooms[hub.room_id]


async def join(room_id: int, socket) -> RoomHub:
    """Attach a socket (with `user` and `deliver(seq, text)`) to its room's hub, starting the hub."""
    rooms = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = rooms.get(room_id)
    if hub is None:
        hub = rooms[room_id] = RoomHub(room_id)
        hub.starting = asyncio.ensure_future(hub.start())
    try:
        await asyncio.shield(hub.starting)
    except Exception:
        _forget(hub)
        raise
    hub.sockets.add(socket)
    return hub


async def leave(hub: RoomHub, socket) -> None:
    hub.sockets.discard(socket)
    if not hub.sockets:
        _forget(hub)
        await hub.stop()
