"""Frames from browsers, decoded safely for every JSON socket (chat, topics, events, notifications).

Channels' AsyncJsonWebsocketConsumer decodes with json.loads and nothing else: a binary frame, text
that is not JSON, or JSON nested past Python's recursion limit raised in the consumer, daphne logged a
traceback and closed the socket (1011). Here each of them is answered with an error frame and the socket
stays open; only JSON objects reach `receive_json`.

Two size limits apply. MAX_FRAME_BYTES is ours: the largest frame any of our pages sends is a chat
message (2,000 characters, under 8 KB in UTF-8), so a bigger frame is refused with `too_long` and the
socket stays usable. Daphne's own limit (--websocket-max-message-size, 1 MiB by default) comes first:
autobahn fails a larger message with close code 1009 before any application code sees it, which is the
protocol's answer (the page reconnects and catches up).

Every signed-in socket also joins two groups, `user.<id>` and `session.<digest>`, through which
portal.services.end_user_sockets / end_session_sockets close it when its session ends (logout,
password change, deactivation) or its account changes (suspension): see `session_end`.
"""

import asyncio
import json
import logging

from channels.db import aclose_old_connections
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.crypto import salted_hmac

from portal.errors import FrameCode, error_frame, transient

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
LAYER_RETRY_SECONDS = 0.5  # while the channel layer is away, a socket tries it again this often

# Close code for "server error, reconnect": daphne (autobahn) accepts only 1000 and 3000-4999 from an
# application, so closing with 1011 raised and left a room's sockets open and silent. The pages
# reconnect (static/js/socket.js) on every code but 4401, 4403 and 4404 and catch up from their last seq.
SERVER_ERROR = 4500


# Close codes of `session.end` (application codes must be 3000-4999: daphne refuses 1011 and the like).
# SESSION_ENDED: signed out, the page says so and does not reconnect. ACCOUNT_CHANGED: still signed
# in but the account changed (suspended); the page reconnects, or reloads where it shows the change.
SESSION_ENDED = 4401
ACCOUNT_CHANGED = 4409

# Set in the session at login (portal.services.mark_socket_session). It survives the key change of
# update_session_auth_hash, so a password change can spare the sockets of the session that made it.
SOCKET_SESSION_KEY = "_socket_session"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_group(session) -> str | None:
    """A session's socket group, named by a keyed digest: group names are visible in Redis and
    must not carry anything that signs a browser in. Sessions from before the mark fall back to
    their key (a password change then ends their sockets too)."""
    if session is None:
        return None
    ident = session.get(SOCKET_SESSION_KEY) or session.session_key
    if not ident:
        return None
    return "session." + salted_hmac("portal.websocket.session", ident, algorithm="sha256").hexdigest()


def socket_language(scope) -> str:
    """The language a socket's texts are sent in, chosen as for its page: a signed-in user's saved
    language (portal.middleware.UserLanguageMiddleware), else the language cookie, else the browser's
    Accept-Language (Django's LocaleMiddleware), else the site's."""
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.language:
        return user.language
    headers = dict(scope.get("headers") or ())
    request = HttpRequest()
    request.COOKIES = scope.get("cookies") or {}
    request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get(b"accept-language", b"").decode("latin-1")
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


def _too_long(text: str) -> bool:
    # UTF-8 takes at most 4 bytes a character: most frames are judged without encoding them.
    return len(text) > MAX_FRAME_BYTES or (
        len(text) * 4 > MAX_FRAME_BYTES and len(text.encode()) > MAX_FRAME_BYTES
    )


class JsonFrameConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer whose `receive_json` only ever gets a dict, and whose socket ends with its
    user's session."""

    session_group = None
    language = settings.LANGUAGE_CODE

    async def websocket_connect(self, message):
        # Channels adds `self.groups` before connect() and discards them after disconnect(); a
        # subclass appends the groups it joins in connect() so that heartbeats renew them too.
        self.groups = []
        self.language = socket_language(self.scope)
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            self.session_group = session_group(self.scope.get("session"))
            self.groups = [user_group(user.pk)] + ([self.session_group] if self.session_group else [])
        try:
            await super().websocket_connect(message)
        except Exception as exc:
            if not transient(exc):
                raise
            # Redis or the database is away: a close the page understands (before the handshake
            # completes it is refused), not a traceback and daphne's 1011. The page retries.
            log.warning("socket could not connect: %r", exc)
            await self.close(code=SERVER_ERROR)

    async def websocket_disconnect(self, message):
        # Channels' own, except that an unreachable layer does not turn a socket's end into a
        # traceback: the layer forgets the membership by itself after group_expiry.
        try:
            for group in self.groups:
                await self.channel_layer.group_discard(group, self.channel_name)
        except Exception as exc:
            if not transient(exc):
                raise
        await self.disconnect(message["code"])
        await aclose_old_connections()
        raise StopConsumer()

    async def join_group(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups.append(group)

    async def _add_groups(self) -> None:
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)

    async def renew_groups(self) -> None:
        """The page's heartbeat re-adds this socket before the layer's group_expiry (300 s on
        Redis) drops it: a socket that fell out of `user.<id>` would outlive a logout. While Redis
        is away the heartbeat still counts (the next one re-adds; a restarted Redis forgot them)."""
        try:
            await self._add_groups()
        except Exception as exc:
            if not transient(exc):
                raise
            log.warning("socket groups not renewed: %r", exc)

    # Channels' __call__ sets `channel_receive` to the layer's receive for this socket's channel and
    # awaits it beside the browser's frames: one refused Redis call ended the consumer in a traceback
    # (every chat socket closed during a Redis restart, make chaos). Set through this property, it
    # waits for the layer instead, and re-adds the socket's groups (a restarted Redis forgot them).
    @property
    def channel_receive(self):
        return self._channel_receive

    @channel_receive.setter
    def channel_receive(self, receive):
        async def resilient():
            away = False
            while True:
                try:
                    if away:
                        await self._add_groups()
                        away = False
                    return await receive()
                except Exception as exc:
                    if not transient(exc):
                        raise
                    away = True
                await asyncio.sleep(LAYER_RETRY_SECONDS)

        self._channel_receive = resilient

    async def session_end(self, event):
        if self.session_group is not None and event.get("keep") == self.session_group:
            return  # the session that changed the password stays signed in
        await self.close(code=event["code"])

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.frame_error(FrameCode.BAD_REQUEST)  # our pages send text frames only
            return
        if _too_long(text_data):
            await self.frame_error(FrameCode.TOO_LONG)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.frame_error(FrameCode.BAD_REQUEST)
            return
        if not isinstance(content, dict):
            await self.frame_error(FrameCode.BAD_REQUEST)
            return
        if content.get("type") == "ping":
            await self.renew_groups()
        await self.receive_json(content, **kwargs)

    async def frame_error(self, code: FrameCode) -> None:
        with translation.override(self.language):
            frame = error_frame(code, limit=MAX_FRAME_BYTES)
        await self.send_json(frame)
