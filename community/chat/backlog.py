"""How far behind a chat socket may fall before it is closed.

A socket whose reader stops (a phone in a tunnel, a frozen tab) still gets every frame of its room.
Twisted never blocks a write: once the kernel's send buffer is full (up to 4 MB a socket here), what
the client does not take waits in daphne's memory, without limit, for as long as the socket lives (and
a page that keeps sending its heartbeat keeps it alive for ever). Twisted marks the transport
`producerPaused` while more than its buffer (64 KB) waits; from then on the socket may take
MAX_BEHIND_BYTES more (once the pause outlasts a burst), for at most MAX_BEHIND_SECONDS, and is then
closed with TOO_SLOW. The page reconnects with the last seq it saw and catches up from the database,
where every message is anyway.
"""

import time

MAX_BEHIND_BYTES = 256 * 1024
MAX_BEHIND_SECONDS = 10
# Twisted writes when the event loop next turns, so a burst written in one turn (a gap read from the
# database, a catch-up) pauses a healthy socket's transport too: bytes count once a pause outlasts this.
BURST_SECONDS = 1
TOO_SLOW = 4008


class Backlog:
    """One socket's TCP transport, asked before each frame whether the socket has fallen too far
    behind. (The transport already has a producer, daphne's HTTP channel, which Twisted pauses and
    resumes; `producerPaused` is that state.)"""

    def __init__(self, transport):
        self.transport = transport
        self.paused_at: float | None = None
        self.queued = 0  # bytes handed to the transport since it paused

    def too_far_behind(self, size: int) -> bool:
        """Count a frame about to be written; True when the socket should be closed instead."""
        if not self.transport.producerPaused:
            self.paused_at = None
            return False
        if self.paused_at is None:
            self.paused_at, self.queued = time.monotonic(), 0
        self.queued += size
        waited = time.monotonic() - self.paused_at
        return waited > MAX_BEHIND_SECONDS or (waited > BURST_SECONDS and self.queued > MAX_BEHIND_BYTES)


def _protocol(send):
    """Daphne gives each connection's application `send` = functools.partial(server.handle_reply,
    protocol); Channels' session middleware wraps it (the original is its `real_send`)."""
    for _depth in range(4):
        for arg in getattr(send, "args", ()):
            if hasattr(arg, "transport"):
                return arg
        send = getattr(getattr(send, "__self__", None), "real_send", None)
    return None


def watch(send) -> Backlog | None:
    """A Backlog on the socket's transport, or None where there is none to watch (the test
    communicator, other servers): no limit applies there."""
    transport = getattr(_protocol(send), "transport", None)
    return Backlog(transport) if hasattr(transport, "producerPaused") else None
