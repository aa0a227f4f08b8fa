"""Messages posted at once in one room are numbered 1..n, no gap and no repeat, and none is lost.

Each post runs in its own thread and database connection: the room's row lock (IMMEDIATE write
transactions on SQLite) is what numbers them. A gate (tests/races.py) holds every post at the room's
counter update until all are there; the control runs the same race without the lock and shows it then
loses messages, every time.
"""

import pytest

from community.chat import services as chat_services
from community.chat.models import Message, Room
from portal import roles
from tests.factories import make_user
from tests.races import Gate, run_together, update

THREADS = 20


def _post_at_once(room: Room, *, locks: bool = True) -> tuple[list, Gate]:
    authors = [make_user(f"talker{n}@example.com", roles.MEMBERS) for n in range(THREADS)]
    gate = Gate(THREADS, before=update(Room))
    jobs = [
        lambda author=author: chat_services.post_message(author=author, room=room, body="hi", client_id="c1")
        for author in authors
    ]
    return run_together(jobs, gate, locks=locks), gate


@pytest.mark.django_db(transaction=True)
def test_messages_posted_at_once_are_numbered_without_gaps(lounge):
    results, gate = _post_at_once(lounge)
    assert [created for _message, created in results] == [True] * THREADS
    seqs = sorted(Message.objects.filter(room=lounge).values_list("seq", flat=True))
    assert seqs == list(range(1, THREADS + 1))
    assert Room.objects.get(pk=lounge.pk).last_seq == THREADS
    assert (gate.hits, gate.most_at_once) == (THREADS, 1)


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_posts_at_once_are_lost(lounge):
    results, gate = _post_at_once(lounge, locks=False)
    assert gate.most_at_once == THREADS
    # All read the same counter. On PostgreSQL all but one then write seq 1 again and hit the unique
    # (room, seq); on SQLite all but one cannot write. Either way the member's message is gone.
    assert len([r for r in results if isinstance(r, Exception)]) == THREADS - 1
    assert Message.objects.filter(room=lounge).count() == 1
