"""Who is online, right across processes: Redis sorted sets of socket entries scored by expiry,
refreshed by the sockets' heartbeats and removed when a socket closes.

A process that dies stops refreshing its entries, so they vanish after their TTL. Without Redis
(one process, in-memory channel layer) a dict in the process plays the same role. Chat rooms keep
their rosters here (community.chat.presence); every socket of a user also keeps an entry in the
user's own set, which tells whether a notification should wait on the site or go by e-mail.
"""

import time

import redis
from django.conf import settings

# The notifications socket beats every 60 s (a hidden tab's timers may not run more often), so two
# lost beats are tolerated before a socket whose process died stops counting.
USER_TTL = 150
_local: dict[str, dict[str, float]] = {}
_client = redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None


def user_key(user_id: int) -> str:
    return f"tend:user-presence:{user_id}"


def touch(*entries: tuple[str, str, int]) -> None:
    """Refresh (key, entry, ttl) triples in one round trip; expired entries of those keys go."""
    now = time.time()
    if _client is None:
        for key, entry, ttl in entries:
            _local.setdefault(key, {})[entry] = now + ttl
        return
    pipe = _client.pipeline()
    for key, entry, ttl in entries:
        pipe.zadd(key, {entry: now + ttl})
        pipe.zremrangebyscore(key, "-inf", now)
        pipe.expire(key, ttl * 2)
    pipe.execute()


def leave(*entries: tuple[str, str]) -> None:
    if _client is None:
        for key, entry in entries:
            _local.get(key, {}).pop(entry, None)
        return
    pipe = _client.pipeline()
    for key, entry in entries:
        pipe.zrem(key, entry)
    pipe.execute()


def live_entries(key: str) -> list[str]:
    now = time.time()
    if _client is None:
        return [entry for entry, expiry in _local.get(key, {}).items() if expiry > now]
    return [entry.decode() for entry in _client.zrangebyscore(key, now, "+inf")]


def is_online(user_id: int) -> bool:
    """True while any socket of the user (chat or notifications, any tab, any process) is open."""
    now = time.time()
    if _client is None:
        return any(expiry > now for expiry in _local.get(user_key(user_id), {}).values())
    return bool(_client.zcount(user_key(user_id), now, "+inf"))


def touch_user(user_id: int, channel: str) -> None:
    touch((user_key(user_id), channel, USER_TTL))


def leave_user(user_id: int, channel: str) -> None:
    leave((user_key(user_id), channel))
