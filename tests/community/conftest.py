"""Community fixtures: forums (from the data migration), topics, chat rooms and sockets."""

import asyncio
from datetime import timedelta
from importlib import import_module

import pytest
import pytest_asyncio
from asgiref.sync import SyncToAsync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.utils import timezone

from community.chat import services as chat_services
from community.chat.models import Message, Room
from community.models import Category, Forum, Post, Topic
from portal.sanitize import render_markdown
from tend.asgi import application


@pytest.fixture
def forums(db):
    """The migration's forums; transactional tests flush them, so seed again (idempotent)."""
    import_module("community.migrations.0002_seed_forums").seed(django_apps, None)


@pytest.fixture
def members_forum(forums):
    return Forum.objects.get(slug="members")


@pytest.fixture
def providers_forum(forums):
    return Forum.objects.get(slug="providers")


@pytest.fixture
def questions(members_forum):
    return Category.objects.filter(forum=members_forum).order_by("position")[1]


@pytest.fixture
def voice(providers_forum):
    return Category.objects.filter(forum=providers_forum).order_by("position").last()


def make_topic(category, author, title="Lasting manicure?", body="How long should it last?"):
    """A published topic straight through the ORM, bypassing pacing (tests build data fast)."""
    topic = Topic.objects.create(forum=category.forum, category=category, author=author,
                                 title=title, slug="topic")
    Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))
    return topic


def make_reply(topic, author, body="Me too"):
    return Post.objects.create(topic=topic, author=author, source=body, html=render_markdown(body))


def trusted(user):
    """Old enough and with enough approved posts: no new-member limits."""
    user.date_joined = timezone.now() - timedelta(days=30)
    user.save(update_fields=["date_joined"])
    return user


def unpace(user):
    cache.delete(f"community:pace:{user.pk}")


@pytest.fixture
def members_topic(questions, other_member):
    return make_topic(questions, other_member)


@pytest.fixture
def providers_topic(voice, provider):
    return make_topic(voice, provider, title="Training hours", body="Too many evening shifts")


ORIGIN = b"http://127.0.0.1"


@pytest.fixture(autouse=True)
def _close_async_connections():
    # Async tests and consumers reach the database from asgiref's one worker thread; its connection
    # would otherwise outlive the test and block dropping the PostgreSQL test database.
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()


@pytest_asyncio.fixture
async def no_leftover_tasks():
    """Once a test's sockets are closed, every task they started has ended: a room hub waits for its
    own tasks when it stops. (A hub task left running once kept the test's event loop from closing,
    about one PostgreSQL+Redis run in two.) Stragglers fail the test instead of hanging the suite."""
    yield
    current = asyncio.current_task()
    leftovers = [task for task in asyncio.all_tasks() if task is not current]
    if not leftovers:
        return
    _done, running = await asyncio.wait(leftovers, timeout=2)
    for task in running:
        task.cancel()
        asyncio.tasks._unregister_task(task)  # the loop can close without it; the test fails below
    assert not running, f"tasks still running after the test: {running}"


@pytest.fixture
def lounge(db):
    chat_services.ensure_lounges()
    return Room.objects.get(slug=chat_services.LOUNGE_SLUG)


@pytest.fixture
def providers_lounge(lounge):
    return Room.objects.get(slug=chat_services.PROVIDERS_SLUG)


def make_messages(room: Room, author, count: int) -> list[Message]:
    start = room.last_seq
    messages = Message.objects.bulk_create(
        Message(room=room, seq=start + i, author=author, client_id=f"bulk-{room.pk}-{start + i}",
                body=f"message {start + i}")
        for i in range(1, count + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=start + count)
    room.last_seq = start + count
    return messages


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
