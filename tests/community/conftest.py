"""Community fixtures: forums (from the data migration), topics and chat rooms, built on the factories."""

import asyncio

import pytest
import pytest_asyncio
from asgiref.sync import SyncToAsync
from django.db import connections

from community.chat import services as chat_services
from community.models import Category, Forum, Room
from tests.factories import make_topic, seed_forums


@pytest.fixture
def forums(db):
    """The migration's forums; transactional tests flush them, so seed again (idempotent)."""
    seed_forums()


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


@pytest.fixture
def members_topic(questions, other_member):
    return make_topic(questions, other_member)


@pytest.fixture
def providers_topic(voice, provider):
    return make_topic(voice, provider, title="Training hours", body="Too many evening shifts")


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
