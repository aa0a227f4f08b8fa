"""How fast one person may act in chat: a token bucket per author for messages, a counted window for
new direct conversations; both in the shared cache, so they hold across processes."""

import math
import time

from django.core.cache import cache
from django.utils import timezone

from community.errors import ChatCode, ChatError

# A token bucket per author: a burst of RATE_BURST messages, then RATE_PER_SECOND. Honest bursts (fast
# typing, a queue resent after a reconnect) pass; a flood is held to the refill rate.
RATE_BURST = 20
RATE_PER_SECOND = 2


def _rate_keys(user_id: int, name: str, seconds: int) -> tuple[str, str]:
    """The window's start key, and the key counting that window's actions."""
    start_key = f"{name}-start:{user_id}"
    start = cache.get_or_set(start_key, f"{timezone.now().timestamp():.3f}", seconds)
    return start_key, f"{name}:{user_id}:{start}"


def _within_rate(user_id: int, *, name: str, count: int, seconds: int) -> bool:
    """Counts one more action; False past `count` in the window."""
    # The window starts at a user's first action and lives in the shared cache, so it holds across
    # processes with Redis. Each window counts under its own key, kept twice as long as the window:
    # Django's Redis incr checks that the key exists and then INCRs, and a key that expired in between
    # came back from INCR with no expiry, muting its author for good (found by make chaos under load).
    # Now such a key belongs to a window nobody counts in any more.
    _start_key, key = _rate_keys(user_id, name, seconds)
    cache.add(key, 0, seconds * 2)
    try:
        counted = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds * 2)
        counted = 1
    return counted <= count


LOCK_TRIES = 40
LOCK_PAUSE = 0.005


def _take_token(user_id: int, *, name: str, burst: int, per_second: float) -> float:
    """Takes one token from the author's bucket: 0 when granted, else the seconds until one is free.

    Stored as the bucket's "theoretical arrival time" (GCRA): the moment the bucket would be full again,
    one float in the shared cache, so it holds across processes (Redis) and within one (locmem). Its
    read-modify-write runs under a short cache lock (`add` is atomic), so two sockets of one author
    sending at once cannot both spend the same token. A lock not had within ~0.2 s (its holder died; it
    expires in a second) answers "wait" rather than skipping the rule. With Redis down every cache call
    misses, the bucket reads full and sending goes on (see portal.caching.redis)."""
    key, lock = f"{name}:{user_id}", f"{name}-lock:{user_id}"
    interval = 1 / per_second
    for _attempt in range(LOCK_TRIES):
        if cache.add(lock, 1, 1):
            break
        time.sleep(LOCK_PAUSE)
    else:
        return interval
    try:
        now = time.time()
        full_at = max(cache.get(key, now), now)
        wait = full_at - now - (burst - 1) * interval
        if wait > 0:
            return wait
        cache.set(key, full_at + interval, int(burst * interval) + 2)
        return 0
    finally:
        cache.delete(lock)


def _check_rate(user_id: int) -> None:
    wait = _take_token(user_id, name="chat-bucket", burst=RATE_BURST, per_second=RATE_PER_SECOND)
    if wait:
        # Rounded up to a tenth: a client that waits exactly this long finds a token.
        raise ChatError(ChatCode.RATE_LIMITED, retry_after=math.ceil(wait * 10) / 10)
