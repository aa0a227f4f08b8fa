"""Shared fixtures: real database, real channel layer, a small page tree, one user per role (built by
tests/factories.py) and events."""

import logging

import pytest
from channels.layers import channel_layers
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    ModeratorFactory,
    ProviderFactory,
    StorePageFactory,
    home_page,
)


@pytest.fixture(autouse=True)
def _clean_cache():
    # Rate limits and cached pages live in the cache; every test starts from zero.
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    # PBKDF2 costs about 0.25 s per hash here and every user fixture and login hashes once. Browser tests
    # keep the real hasher: their daphne child checks passwords with the unmodified settings.
    if request.node.get_closest_marker("browser") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    # channels_redis keeps per-channel asyncio locks that belong to the event loop that made them, and a
    # task cut off when a test's loop closed can leave one behind; every async test runs on its own loop,
    # so every test gets its own layer instance (the in-memory layer also starts empty).
    channel_layers.backends.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def task_worker(settings, transactional_db):
    """Production's task backend: enqueued work waits as a row until the returned callable runs
    `db_worker` over it. Transactional: the worker closes a connection it finds inside a transaction."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [log.level for log in loggers]
    yield lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload",
                               "--interval", "0", verbosity=0)
    # db_worker sets its loggers' levels from its verbosity, for the whole process.
    for log, level in zip(loggers, levels, strict=True):
        log.setLevel(level)


@pytest.fixture
def member(db):
    return MemberFactory(email="member@example.com", display_name="Mei")


@pytest.fixture
def other_member(db):
    return MemberFactory(email="other@example.com", display_name="Otto")


@pytest.fixture
def provider(db):
    return ProviderFactory(email="provider@example.com", display_name="Pia")


@pytest.fixture
def moderator(db):
    return ModeratorFactory(email="moderator@example.com", display_name="Mo")


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@example.com", display_name="Eddie")


@pytest.fixture
def site_tree(db):
    """Root, home page and default site, rebuilt if a transactional test flushed them."""
    return home_page()


@pytest.fixture
def store(site_tree):
    return StorePageFactory(title="Xinyi", slug="xinyi")


@pytest.fixture
def event_index(site_tree):
    from events.models import EventIndexPage

    return EventIndexPage.objects.first() or site_tree.add_child(
        instance=EventIndexPage(title="Events", slug="events")
    )


@pytest.fixture
def make_event(event_index, store):
    """`make_event(**fields)`: an event at `store` (see EventPageFactory), numbered from 1 in each test."""
    EventPageFactory.reset_sequence()
    return lambda **fields: EventPageFactory(parent=event_index, **{"store": store, **fields})


@pytest.fixture
def event(make_event):
    return make_event()
