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
from django.db import DatabaseError, DataError, IntegrityError, connections

from community.chat import presence as chat_presence
from community.chat import selectors as chat_selectors
from community.chat.models import Room
from community.chat.services import room_group
from portal.websocket import SERVER_ERROR

log = logging.getLogger(__name__)


def db(func):
    """database_sync_to_async without its close after every call. Chat's database work runs on the
    process's one sync thread, so the kept connection is one per process; opening a PostgreSQL
    connection was 19 of the 35 ms that storing a message took (with DB_CONN_MAX_AGE=0)."""

    @functools.wraps(func)
    def call(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (IntegrityError, DataError):
            raise  # the connection is fine: the data was refused
        except DatabaseError:
            # A broken connection is replaced on the next call. It shows as InterfaceError or
            # OperationalError on PostgreSQL, as ProgrammingError on SQLite ("closed database"), and
            # a healthy one costs only a reconnect.
            connections.close_all()
            raise

    return sync_to_async(call, thread_sensitive=True)


PRESENCE_DELAY = 0.1  # seconds: joins and leaves within it cost one roster read
REFRESH_SECONDS = 20  # re-join the group (well inside group_expiry), re-read the roster, catch up
STOP = {"type": "hub.stop"}
# Seconds to wait before each attempt to heal a failed listener; when all fail, its sockets are closed.
# Every half second for half a minute: once Redis or PostgreSQL answers again the room is whole within
# half a second (a doubling backoff made a 3 s Redis restart cost up to 4 s more), and a failed
# attempt is one refused connection.
HEAL_DELAYS = (0,) + (0.5,) * 60
STORED_SEQ_SECONDS = 1  # a heartbeat's stored seq is read at most this often per room and process

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
        self._stopped = asyncio.Event()
        # Message frames go out in seq order from one sender at a time: the listener, or a catch-up.
        self._order = asyncio.Lock()
        self._stored_seq = 0
        self._stored_seq_at = float("-inf")

    def _spawn(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def start(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        # Read after joining the group: anything newer arrives as a broadcast, anything older is here.
        self.last_seq = await db(_stored_seq)(self.room_id)
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
        self._stopped.set()
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
        """Every failure is healed here or ends in closed sockets: without its listener the room's
        sockets on this process would stay open and silent (seen after a terminated PostgreSQL
        connection during a gap read, a Redis restart, a peer gone mid-write)."""
        while not self.stopping:
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
                log.warning("chat hub for room %s failed; healing", self.room_id, exc_info=True)
                if not await self._heal():
                    await self._give_up()
                    return

    async def _heal(self) -> bool:
        """Rejoin the group (a restarted Redis forgot it) and send what the sockets missed from the
        database, where every message is stored before it is announced."""
        for delay in HEAL_DELAYS:
            try:
                await asyncio.wait_for(self._stopped.wait(), delay)
                return True  # stopping: nothing left to heal
            except TimeoutError:
                pass
            try:
                await self.layer.group_add(self.group, self.channel)
                await self.catch_up(await db(_stored_seq)(self.room_id))
                return True
            except asyncio.CancelledError:
                raise
            except Exception:
                if delay == 0:  # once per outage, not twice a second
                    log.warning("chat hub for room %s could not heal yet", self.room_id, exc_info=True)
        return False

    async def _give_up(self) -> None:
        # The pages reconnect (to a fresh hub) and catch up from the database.
        log.error("chat hub for room %s could not heal; closing its sockets", self.room_id)
        _forget(self)
        for socket in list(self.sockets):
            await _close(socket)

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
        async with self._order:
            if seq <= self.last_seq:
                return  # a late broadcast of a message the sockets already have
            # An earlier message's broadcast is still on its way (or was lost): send it from the
            # database first, in order.
            await self._send_stored(seq - 1)
            self.last_seq = seq
            await self._fan_out(seq, text)

    async def catch_up(self, upto: int) -> None:
        """Send every stored message up to seq `upto` that the sockets have not had."""
        async with self._order:
            await self._send_stored(upto)

    async def _catch_up_logged(self, upto: int) -> None:
        try:
            await self.catch_up(upto)
        except Exception:
            log.warning("chat hub for room %s could not catch up", self.room_id, exc_info=True)

    async def _send_stored(self, upto: int) -> None:
        # last_seq moves with each frame sent: a read that fails part way is resumed, not repeated.
        while self.last_seq < upto:
            frames = await db(chat_selectors.list_messages_after)(Room(pk=self.room_id), self.last_seq, upto)
            if not frames:
                break
            for frame in frames:
                await self._fan_out(frame["seq"], json.dumps(frame))
                self.last_seq = frame["seq"]
        self.last_seq = max(self.last_seq, upto)

    async def stored_seq(self) -> int:
        """The room's last stored seq, for the sockets' heartbeats (read at most once a second per
        room and process, not per socket). When it is ahead of what this hub has sent, a broadcast
        was lost: the hub catches up on its own."""
        now = asyncio.get_running_loop().time()
        if now - self._stored_seq_at > STORED_SEQ_SECONDS:
            self._stored_seq_at = now
            self._stored_seq = await db(_stored_seq)(self.room_id)
            if self._stored_seq > self.last_seq and not self._order.locked():
                self._spawn(self._catch_up_logged(self._stored_seq))
        return max(self._stored_seq, self.last_seq)

    async def _fan_out(self, seq: int, text: str, skip_user: int | None = None) -> None:
        for socket in list(self.sockets):
            if socket.user.pk == skip_user:
                continue
            try:
                await socket.deliver(seq, text)
            except Exception:
                # One socket's failure (its peer gone mid-write) is its own: the others still get
                # the frame, and this one is closed so that its page reconnects rather than going quiet.
                log.warning("chat socket in room %s failed a write; closing it", self.room_id, exc_info=True)
                self.sockets.discard(socket)
                await _close(socket)

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
        # A failed round is logged and the next one tried: a refresh that died once (Redis down) let
        # the hub fall out of the group after group_expiry, silently.
        while not self.stopping:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                await self.layer.group_add(self.group, self.channel)
                await self.catch_up(await db(_stored_seq)(self.room_id))
                await self._presence()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("chat hub for room %s could not refresh", self.room_id, exc_info=True)


def _stored_seq(room_id: int) -> int:
    return Room.objects.filter(pk=room_id).values_list("last_seq", flat=True).first() or 0


async def _close(socket) -> None:
    try:
        await socket.close(code=SERVER_ERROR)
    except Exception:
        log.warning("could not close a chat socket", exc_info=True)


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
