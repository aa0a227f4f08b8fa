"""The Redis cache as pages need it. Redis holds only caches, rate-limit counters and realtime state, so
while it restarts a cache that cannot be reached behaves as an empty one instead of failing the request:
reads miss, writes are dropped, counters start again (so rate limits do not hold until it is back).
`make chaos` restarts Redis under load: with Django's RedisCache 41 of 42 page views during the outage
answered 500 (the page cache, Wagtail's site lookup and rate limits all read the cache first)."""

import logging
import threading

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# One client, so one connection pool, per location and process. Django keeps cache objects per
# request context, and under ASGI every request is a new context: each view opened a new Redis
# connection (connect, health check, HELLO), half the time of the hello-world view (`make bench`).
_clients = {}
_clients_lock = threading.Lock()


class SharedRedisClient(RedisCacheClient):
    """One redis.Redis per connection pool (it is thread-safe): Django builds a new one, with its
    ~170 response callbacks, for every cache call, 13 times in an uncached home page view."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redis_clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._redis_clients.get(pool)
        if client is None:
            client = self._redis_clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisClient

    @cached_property
    def _cache(self):
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            if key not in _clients:
                _clients[key] = self._class(self._servers, **self._options)
            return _clients[key]

    def _or(self, fallback, method, *args):
        try:
            return method(*args)
        except UNREACHABLE as exc:
            log.warning("cache unreachable, %s skipped: %s", method.__name__, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or([], super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._or(delta, super().incr, key, delta, version)

    def delete(self, key, version=None):
        return self._or(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._or(None, super().delete_many, keys, version)

    def clear(self):
        return self._or(False, super().clear)
