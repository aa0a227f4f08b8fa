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
"""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils.translation import gettext_lazy as _

MAX_FRAME_BYTES = 64 * 1024

FRAME_ERRORS = {
    "bad_request": _("The server did not understand that."),
    "too_long": _("That was too large to send: at most 64 KB at a time."),
}


def _too_long(text: str) -> bool:
    # UTF-8 takes at most 4 bytes a character: most frames are judged without encoding them.
    return len(text) > MAX_FRAME_BYTES or (
        len(text) * 4 > MAX_FRAME_BYTES and len(text.encode()) > MAX_FRAME_BYTES
    )


class JsonFrameConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer whose `receive_json` only ever gets a dict."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.frame_error("bad_request")  # our pages send text frames only
            return
        if _too_long(text_data):
            await self.frame_error("too_long")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.frame_error("bad_request")
            return
        if not isinstance(content, dict):
            await self.frame_error("bad_request")
            return
        await self.receive_json(content, **kwargs)

    async def frame_error(self, code: str) -> None:
        await self.send_json({
            "type": "error", "code": code, "message": str(FRAME_ERRORS[code]), "limit": MAX_FRAME_BYTES,
        })
