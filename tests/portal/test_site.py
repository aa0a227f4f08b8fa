import contextvars
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from channels.layers import channel_layers
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.sanitize import clean_html, linkify_text, render_chat_text, render_markdown
from portal.tasks import send_email


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "channel_layer": "ok", "tasks": "ok"},
        "failing": [],
    }


@pytest.mark.django_db
def test_healthz_503_names_tasks_the_worker_left_waiting(client, settings, member):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(to=member.email, subject="Hi", body="Hello")
    assert client.get("/healthz").json()["checks"]["tasks"] == "ok"  # just enqueued

    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["tasks"]


@pytest.mark.django_db
def test_healthz_503_names_unreachable_channel_layer(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["failing"] == ["channel_layer"]


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-secret-key-that-is-long-and-random-Zq8",
        "DJANGO_HTTPS": "true",
        "ALLOWED_HOSTS": "tend.example",
        "CSRF_TRUSTED_ORIGINS": "https://tend.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_is_refused_outside_debug(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_DEBUG="false", DJANGO_SECRET_KEY_FILE=str(tmp_path / "none"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.django_db
def test_home_page_in_traditional_chinese_shows_translated_navigation(client, site_tree):
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="zh-Hant"' in body
    for label in ("護理知識", "顧客故事", "門市", "活動", "社群"):
        assert label in body


@pytest.mark.django_db
def test_language_choice_is_saved_on_the_profile(client, member, site_tree):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})
    member.refresh_from_db()
    assert member.language == "zh-hant"
    # A new session (another device) gets the saved language.
    client.logout()
    client.cookies.clear()
    client.force_login(member)
    assert 'lang="zh-Hant"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_set_language_ignores_foreign_redirects(client):
    response = client.post(reverse("set_language"),
                           {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_requests_carry_a_request_id(client, site_tree):
    response = client.get("/", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-ID"] == "abc123"
    assert len(client.get("/")["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_unknown_page_gets_the_styled_404(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()


def test_clean_html_keeps_allowlist_only():
    dirty = ('<p onclick="x()">Hi <a href="javascript:alert(1)">x</a>'
             '<a href="https://ok.example">ok</a><script>alert(1)</script>'
             '<img src=x onerror=alert(1)><svg><g/></svg><style>*{}</style></p>')
    clean = clean_html(dirty)
    assert "onclick" not in clean and "javascript:" not in clean
    assert "<script" not in clean and "onerror" not in clean and "<svg" not in clean
    assert "<style" not in clean
    assert 'href="https://ok.example"' in clean and 'rel="nofollow ugc noopener"' in clean


def test_markdown_renders_with_raw_html_disabled():
    html = render_markdown("**bold** <b onmouseover=x>raw</b> [a](https://e.example)")
    assert "<strong>bold</strong>" in html
    assert "<b " not in html and "&lt;b" in html
    assert 'rel="nofollow ugc noopener"' in html


def test_code_in_markdown_is_escaped_once():
    html = render_markdown("`a<b>` and\n\n    x<y https://tend.tw/x\n")
    assert "<code>a&lt;b&gt;</code>" in html
    assert "x&lt;y https://tend.tw/x" in html  # and no link inside code


def test_linkify_text_escapes_and_links():
    html = linkify_text("<i>hi</i> see https://tend.tw/x")
    assert "&lt;i&gt;" in html
    assert '<a href="https://tend.tw/x" rel="nofollow ugc noopener">' in html


def test_chat_text_takes_light_inline_markdown_and_links_and_nothing_else():
    html = render_chat_text(
        "**bold** _it_ `a<b>` ~~gone~~ https://tend.tw/a_b_c <img src=x onerror=y>\n# not a heading"
    )
    for part in ("<strong>bold</strong>", "<em>it</em>", "<code>a&lt;b&gt;</code>", "<s>gone</s>",
                 '<a href="https://tend.tw/a_b_c" rel="nofollow ugc noopener">', "&lt;img src=x",
                 "\n# not a heading"):
        assert part in html
    assert "<h1" not in html and "<p>" not in html



@pytest.mark.django_db(transaction=True)
def test_database_outage_answers_503_with_a_friendly_page_and_recovers(site_tree):
    """The database really is unreachable (a missing file or database name), not a patched call."""
    from django.db import connections
    from django.test import Client

    conn = connections["default"]
    saved = {**conn.settings_dict, "OPTIONS": dict(conn.settings_dict["OPTIONS"])}

    def reset_connection():
        conn.close()
        if hasattr(conn, "close_pool"):  # PostgreSQL's pool keeps connections to the old database
            conn.close_pool()

    reset_connection()
    if conn.vendor == "sqlite":
        conn.settings_dict["NAME"] = "/nonexistent/tend/db.sqlite3"
    else:
        conn.settings_dict["NAME"] = "tend_no_such_database"
        if "pool" in saved["OPTIONS"]:
            conn.settings_dict["OPTIONS"]["pool"] = {**saved["OPTIONS"]["pool"], "min_size": 0, "timeout": 2}
    try:
        response = Client(raise_request_exception=False).get("/")
    finally:
        reset_connection()
        conn.settings_dict.update(saved)
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "back in a moment" in body and "Traceback" not in body
    # Once the database answers again the same process serves the page: no restart needed.
    assert Client().get("/").status_code == 200


@pytest.mark.django_db
def test_pages_serve_while_the_redis_cache_is_unreachable(client, settings, site_tree):
    """Nothing listens on port 1: the page cache, Wagtail's site lookup and rate limits all miss."""
    settings.CACHES = {"default": {"BACKEND": "portal.caching.redis.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    from django.core.cache import cache

    assert client.get("/").status_code == 200
    assert cache.get("x", "missing") == "missing" and cache.add("x", 1) and cache.incr("x") == 1


def test_every_request_shares_one_redis_client(settings):
    """Django keeps a cache object per request context: without a shared client each ASGI request
    connected to Redis anew (half the hello-world view's time under `make bench`)."""
    settings.CACHES = {"default": {"BACKEND": "portal.caching.redis.ResilientRedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/0"}}
    from django.core.cache import caches

    first, second = (contextvars.Context().run(lambda: caches["default"]) for _ in range(2))
    assert first is not second
    assert first._cache._get_connection_pool(False) is second._cache._get_connection_pool(False)
    # and one redis.Redis per pool, not one (with its ~170 callbacks) per cache call
    assert first._cache.get_client("a") is second._cache.get_client("b", write=True)
