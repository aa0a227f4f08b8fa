"""The chat rate rule: a token bucket in the shared cache. Bursts pass, a flood is held to the refill
rate, and two sockets of one author sending at once share one bucket."""

import sys
import time

from community.chat.services import limits as chat_limits
from tests.races import run_together


def take(user_id=1, burst=20, per_second=2.0):
    return chat_limits._take_token(user_id, name="test-bucket", burst=burst, per_second=per_second)


def test_a_burst_passes_and_the_next_is_told_how_long_to_wait():
    assert [take() for _ in range(20)] == [0] * 20
    wait = take()
    assert 0.4 < wait <= 0.5


def test_a_flood_is_held_to_the_refill_rate():
    started = time.monotonic()
    granted = sum(take(per_second=10) == 0 for _ in range(200))
    refilled = (time.monotonic() - started) * 10  # tokens that came back while the calls ran
    # The burst, plus at most what refilled: 200 calls on Redis can take over the 0.1 s a token takes.
    assert 20 <= granted <= 20 + refilled + 1


def test_tokens_refill_over_time():
    for _ in range(5):
        take(burst=5, per_second=20)
    assert take(burst=5, per_second=20) > 0
    time.sleep(0.11)  # two tokens at 20 a second
    assert [take(burst=5, per_second=20) for _ in range(3)][:2] == [0, 0]


def test_each_author_has_their_own_bucket():
    for _ in range(20):
        take(user_id=1)
    assert take(user_id=1) > 0
    assert take(user_id=2) == 0


def test_an_honest_sender_at_three_quarters_of_the_rate_is_never_refused():
    refused = 0
    for _ in range(40):
        refused += take(burst=5, per_second=40) > 0
        time.sleep(1 / 30)  # 30 a second against a refill of 40
    assert refused == 0


def test_concurrent_senders_cannot_spend_one_token_twice():
    # Sockets of one author (or processes) take from the bucket at the same moment. Threads switch
    # every microsecond, as often as processes would interleave their cache calls.
    def send():
        return [wait == 0 for wait in (take(burst=20, per_second=0.01) for _ in range(15))]

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        results = run_together([send] * 8)
    finally:
        sys.setswitchinterval(previous)
    granted = [grant for result in results for grant in result]
    assert sum(granted) == 20
