import contextlib

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection

from events import services
from tend.asgi import application


@sync_to_async
def _register(event, member):
    try:
        services.register_for_event(event=event, member=member)
    finally:
        # This runs in the executor's thread: leave no connection open at teardown.
        connection.close()


@contextlib.asynccontextmanager
async def _seats_socket(event):
    communicator = WebsocketCommunicator(application, f"/ws/events/{event.pk}/",
                                         headers=[(b"origin", b"http://localhost")])
    connected, _ = await communicator.connect()
    assert connected
    try:
        yield communicator
    finally:
        await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_seats_left_are_pushed_live(event, member):
    async with _seats_socket(event) as communicator:
        await _register(event, member)
        assert await communicator.receive_json_from(timeout=5) == {"type": "seats", "seats_left": 1}
        await communicator.send_json_to({"hello": 1})
        assert (await communicator.receive_json_from(timeout=5))["type"] == "error"


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_waitlisted_registration_pushes_nothing(make_event, member, other_member):
    """Seats left change only when a seat is taken: a race's waitlisted hundreds send no frames."""
    event = await sync_to_async(make_event)(capacity=1)
    async with _seats_socket(event) as communicator:
        await _register(event, member)
        assert await communicator.receive_json_from(timeout=5) == {"type": "seats", "seats_left": 0}
        await _register(event, other_member)
        assert await communicator.receive_nothing(timeout=0.5)
