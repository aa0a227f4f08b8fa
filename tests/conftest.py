"""Shared fixtures: real database, real channel layer, a small page tree and one user per role."""

import logging

import pytest
from allauth.account.models import EmailAddress
from channels.layers import channel_layers
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from portal import roles
from portal.models import User

PASSWORD = "correct-horse-battery-9"


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


def make_user(email: str, *group_names: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    if group_names:
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in group_names))
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def member(db):
    return make_user("member@example.com", roles.MEMBERS, display_name="Mei")


@pytest.fixture
def other_member(db):
    return make_user("other@example.com", roles.MEMBERS, display_name="Otto")


@pytest.fixture
def provider(db):
    return make_user("provider@example.com", roles.MEMBERS, roles.PROVIDERS, display_name="Pia")


@pytest.fixture
def moderator(db):
    return make_user("moderator@example.com", roles.MODERATORS, display_name="Mo")


@pytest.fixture
def editor(db):
    return make_user("editor@example.com", roles.EDITORS, display_name="Eddie")


@pytest.fixture
def site_tree(db):
    """Root, home page and default site, rebuilt if a transactional test flushed them."""
    from wagtail.models import Locale, Page, Site

    from content.models import HomePage

    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=HomePage(title="Tend", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Tend"},
    )
    return home


@pytest.fixture
def store(site_tree):
    from content.models import StoreIndexPage, StorePage

    index = StoreIndexPage.objects.first() or site_tree.add_child(
        instance=StoreIndexPage(title="Stores", slug="stores")
    )
    return index.add_child(instance=StorePage(title="Xinyi", slug="xinyi", address="Taipei"))
