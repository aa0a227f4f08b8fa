"""Who is in a room, right across processes: Redis sorted sets scored by expiry, refreshed by heartbeats.

A process that dies stops refreshing its entries, so they vanish after PRESENCE_TTL. Without Redis
(one process, in-memory channel layer) a dict in the process plays the same role.
"""

import time

import redis
from django.conf import settings

PRESENCE_TTL = 45  # seconds; clients beat every 15, so two lost beats are tolerated
_local: dict[int, dict[str, float]] = {}
_client = redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None


def _key(room_id: int) -> str:
    return f"tend:chat-presence:{room_id}"


def _entry(user_id: int, name: str, channel: str) -> str:
    return f"{user_id}|{channel}|{name}"


def touch(room_id: int, user_id: int, name: str, channel: str) -> None:
    now = time.time()
    entry = _entry(user_id, name, channel)
    if _client is None:
        room = _local.setdefault(room_id, {})
        room[entry] = now + PRESENCE_TTL
        return
    pipe = _client.pipeline()
    pipe.zadd(_key(room_id), {entry: now + PRESENCE_TTL})
    pipe.zremrangebyscore(_key(room_id), "-inf", now)
    pipe.expire(_key(room_id), PRESENCE_TTL * 2)
    pipe.execute()


def leave(room_id: int, user_id: int, name: str, channel: str) -> None:
    entry = _entry(user_id, name, channel)
    if _client is None:
        _local.get(room_id, {}).pop(entry, None)
        return
    _client.zrem(_key(room_id), entry)


def roster(room_id: int) -> list[dict]:
    """One row per person present (several tabs count once), sorted by name."""
    now = time.time()
    if _client is None:
        entries = [e for e, expiry in _local.get(room_id, {}).items() if expiry > now]
    else:
        entries = [e.decode() for e in _client.zrangebyscore(_key(room_id), now, "+inf")]
    people = {}
    for entry in entries:
        user_id, _channel, name = entry.split("|", 2)
        people[int(user_id)] = name
    return sorted(({"id": pk, "name": name} for pk, name in people.items()), key=lambda p: p["name"])
