"""A signed-in person's session cookie and WebSocket communicators on the real ASGI application: shared by
the consumer, hardening and browser tests."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from community.models import Room
from tend.asgi import application

ORIGIN = b"http://127.0.0.1"


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def open_socket(path: str, user=None, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if user is not None:
        headers.append((b"cookie", await sync_to_async(session_cookie)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


async def join(user, room: Room, after: int | None = None):
    """A connected communicator and its first (history) frame, presence frames skipped."""
    path = f"/ws/chat/{room.slug}/" + (f"?after={after}" if after is not None else "")
    comm = await open_socket(path, user)
    connected, _ = await comm.connect()
    assert connected
    frame = await comm.receive_json_from()
    while frame["type"] == "reload":
        frame = await receive(comm, "history")
    return comm, frame


async def receive(comm, kind: str, timeout: float = 2):
    """The next frame of one type; presence and typing frames in between are skipped."""
    while True:
        frame = await comm.receive_json_from(timeout)
        if frame["type"] == kind:
            return frame


async def assert_no(comm, kind: str, timeout: float = 0.3) -> None:
    """No frame of this type arrives within the timeout (other frames are ignored)."""
    while not await comm.receive_nothing(timeout):
        assert (await comm.receive_json_from())["type"] != kind
