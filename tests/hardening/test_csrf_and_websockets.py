"""Every state-changing POST needs a CSRF token; every WebSocket route checks Origin and membership."""

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from tend.asgi import application
from tend.routing import websocket_urlpatterns
from tests.hardening.test_authorization_matrix import POST, routes, url_for
from tests.sockets import open_socket


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(world):
    found = routes()
    client = Client(enforce_csrf_checks=True)
    for role in ("anonymous", "moderator", "staff_a"):
        if role != "anonymous":
            client.force_login(world["users"][role])
        for name in POST:
            for url in url_for(name, found[name], world):
                response = client.post(url, {"body": "x"})
                assert response.status_code == 403, f"POST {url} ({name}) as {role} without CSRF token"


def _ws_paths(world) -> list[str]:
    """One concrete path per WebSocket route, from the same objects as the HTTP matrix."""
    values = {"topic_id": world["args"]["topic_id"], "room": world["args"]["room"],
              "event_id": world["args"]["event_id"]}
    paths = []
    for pattern in websocket_urlpatterns:
        path = "/" + str(pattern.pattern)
        for name, value in values.items():
            path = path.replace(f"<id:{name}>", str(value)).replace(f"<slug:{name}>", str(value))
        assert "<" not in path, f"WebSocket route {pattern.pattern} needs a value in _ws_paths"
        paths.append(path)
    return paths


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_foreign_origin_is_refused_on_every_websocket_route(world):
    for path in _ws_paths(world):
        comm = WebsocketCommunicator(application, path, headers=[
            (b"origin", b"https://evil.example"), (b"host", b"127.0.0.1")])
        connected, _ = await comm.connect()
        assert not connected, path
        await comm.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_someone_elses_direct_messages_are_closed_with_4403(world):
    comm = await open_socket(f"/ws/chat/{world['args']['room']}/", world["users"]["member"])
    connected, _ = await comm.connect()
    if connected:
        message = await comm.receive_output(2)
        assert message == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_anonymous_notification_socket_is_closed_with_4403(world):
    comm = await open_socket("/ws/notifications/")
    connected, _ = await comm.connect()
    if connected:
        assert await comm.receive_output(2) == {"type": "websocket.close", "code": 4403}
    await comm.disconnect()
