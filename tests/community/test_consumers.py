"""Live topic updates over the real channel layer."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from community import services
from tend.asgi import application
from tests.factories import make_topic, trusted

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect(user, topic):
    communicator = WebsocketCommunicator(application, f"/ws/topics/{topic.pk}/",
                                         headers=[(b"origin", b"http://localhost")])
    if user is not None:
        communicator.scope["user"] = user
    return communicator, await communicator.connect()


@pytest.mark.asyncio
async def test_reader_receives_new_posts(member, other_member, questions):
    topic = await database_sync_to_async(make_topic)(questions, member)
    await database_sync_to_async(trusted)(other_member)
    communicator, (connected, _code) = await _connect(member, topic)
    assert connected
    await database_sync_to_async(services.create_reply)(
        author=other_member, topic=topic, body="Live **hello**")
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "post" and "<strong>hello</strong>" in message["html"]
    assert message["author"] == "Otto"
    await communicator.send_json_to({"body": "no"})
    assert (await communicator.receive_json_from())["code"] == "read_only"
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_member_cannot_follow_a_providers_topic(member, provider, voice):
    topic = await database_sync_to_async(make_topic)(voice, provider)
    communicator, (connected, code) = await _connect(member, topic)
    assert not connected and code == 4403
    await communicator.disconnect()
