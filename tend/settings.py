"""Tend settings, read from the environment.

Defaults run locally and in tests with no setup (SQLite, in-memory channel layer, console e-mail);
production is switched on by variables, never by editing this file. Every variable is listed in
the README.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)


def _secret_key() -> str:
    """Environment first, then the git-ignored key file `make` writes; a fixed key only in DEBUG."""
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    key_file = Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
    if not key and key_file.exists():
        key = key_file.read_text().strip()
    if key:
        return key
    if DEBUG:
        return "dev-only-insecure-key-never-used-in-production-0123456789abcdef"
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# `make bench` only: exposes the hello-world ceiling view on the same servers and the bench commands.
BENCH = env_bool("TEND_BENCH")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # daphne first, so runserver serves ASGI (daphne.E001).
    "daphne",
    "portal",
    "content",
    "community",
    "events",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
]
if BENCH:
    # The benchmark's own management commands (bench/management/commands), never in a real deployment.
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.caching.pages.AnonymousPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    "portal.middleware.QueryLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "tend.urls"
ASGI_APPLICATION = "tend.asgi.application"
WSGI_APPLICATION = "tend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# Under ASGI every sync view runs on a worker thread, and a persistent connection per thread
# exhausted PostgreSQL's max_connections under load (measured with `make bench`): default 0.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so live-server children and concurrency tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test_db.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": "test_" + DATABASES["default"]["NAME"]}
    # A bounded pool per process: 500 members registering at once made 500 request threads open
    # 500 connections and PostgreSQL refused 400 of them ("too many clients", `make bench`); with
    # the pool, requests queue for a connection instead (up to `timeout` seconds). 24 per process
    # leaves room under PostgreSQL's 100 for two processes, workers and tests' 16 racing threads.
    DATABASES["default"]["OPTIONS"] = {"pool": {
        "min_size": 2, "max_size": int(os.environ.get("DB_POOL_SIZE", "24")), "timeout": 30,
    }}
    import tend.db  # noqa: F401 (the pool's retry rate: see there)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache -----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, exactly channels_redis's
                # 5 s blocking pop: idle sockets died with 1011 every few seconds (seen in bench/chat.py).
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": "tend",
                # Dead channels of a killed process leave groups quickly (see TESTING.md).
                "group_expiry": 300,
                "capacity": 1000,
            },
        }
    }
    CACHES = {
        "default": {
            # Pages keep serving while Redis restarts (see portal/caching/redis.py).
            "BACKEND": "portal.caching.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tend",
        }
    }
    # Sessions read from Redis (written to both): a signed-in page skips the session query. Not
    # with the per-process memory cache below: a session ended in one process would live on in another.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if os.environ.get("CACHE_DIR"):
        # One cache for several processes without Redis: the browser tests' server and the tests,
        # which clear it between tests (a server keeping forums of a flushed database showed none).
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                              "LOCATION": os.environ["CACHE_DIR"]}}

# Anonymous Wagtail pages (portal.caching.pages); 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# Background work (e-mail) runs inline by default; production sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py db_worker` beside the servers.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# /healthz fails when a task has waited this long for the worker.
TASKS_STALE_SECONDS = int(os.environ.get("TASKS_STALE_SECONDS", "300"))

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "portal.backends.ModelBackend",
    "portal.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # OWASP ASVS 4 level 2: 12 to 128 characters of any kind, no composition rules, common and
    # look-alike passwords refused. Listed in the order forms show them as the rule.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "portal.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/me/"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tend] "
# Sign-up hashes a password on both of its paths (portal.forms.SignupForm).
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}
# allauth keeps its counters in the default cache, so Redis makes them hold across processes.
# Members sign in on a store's Wi-Fi, many behind one address: guessing is stopped per account
# (key, checked first), and the per-address rules sit far above what a room of people needs, so
# one hammered account does not lock the room out. Every 429 answer is per minute (templates/429.html).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/key,100/15m/ip",
    "login": "120/m/ip",
    "signup": "60/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/m/key,60/m/ip",
    "reset_password_from_key": "60/m/ip",
}
# Behind a proxy every request comes from the proxy's address, and the per-address limits would hold
# for everyone at once: set this to the number of proxies that append to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tend"

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Tend"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp"}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 8 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Admin avatars without Gravatar: no staff e-mail hash sent to another host, and no image the site's
# img-src policy would block anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "pptx", "xlsx", "txt"]

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hant", _("Traditional Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Taipei")
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads not meant for everyone (portal.private_media): beside MEDIA_ROOT, never in it, so the proxy
# that serves /media/ cannot reach them; portal.views.private_file serves each to whoever may see it.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Production runs collectstatic and sets DJANGO_STATIC_MANIFEST for hashed, compressed names.
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "portal.private_media.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (tests, `make run`), whitenoise serves from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tend <hello@tend.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ---------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No inline script or style on the site: behaviour lives in static/js, looks in static/css. The admin's
# allowances are added under /admin/ only (portal.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        # 'self' covers same-origin ws:/wss: in current browsers; chat and notifications need it.
        "connect-src": [SELF],
        # Lesson videos are oEmbed iframes.
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Served over HTTPS (behind the proxy): redirect, secure cookies, HSTS. Off for local http.
HTTPS = env_bool("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS

# --- Logging: one line per record on stdout, with request and user ids ---------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "portal.middleware.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(user_id)s] "
            "%(message)s"
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_context"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per background task run is noise at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
