"""Real-browser tests: Debian's Chromium driven by Playwright against daphne in a child process.

The child process (tests/servers.py) serves `tend.asgi` on the test database; tests use
`transactional_db` so the child sees their data.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import free_port, server_env, serving

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Start daphne on the test database once per session; yields its base URL."""
    port = free_port()
    media = tmp_path_factory.mktemp("media")
    mail = tmp_path_factory.mktemp("mail")
    with django_db_blocker.unblock():
        env = server_env(
            MEDIA_ROOT=str(media),
            PRIVATE_MEDIA_ROOT=str(tmp_path_factory.mktemp("private-media")),
            SITE_URL=f"http://127.0.0.1:{port}",
            # Mail goes to files the test can read: the child's outbox is not ours.
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mail),
        )
    ARTIFACTS.mkdir(exist_ok=True)
    with serving([port], env, ARTIFACTS):
        yield {"url": f"http://127.0.0.1:{port}", "media": media, "mail": mail}
