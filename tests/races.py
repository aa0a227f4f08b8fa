"""Races forced in the statements the services really run; shared by every concurrency test.

A race test starts its calls in threads, each with its own database connection, so the database's locks
are what is tested. A Gate holds every thread just before the write the race is about until all threads
are there: the worst interleaving, every deciding read done before any write. Where the service's lock
works only one thread at a time gets that far, so the gate waits GATE_TIMEOUT once, breaks and stays
open, and `most_at_once` stays 1. A control runs the same race with `locks=False` and sees every thread
at the gate together.

The gate matches the SQL the database receives instead of patching a service helper: a gate on a helper
the service stopped calling lost the interleaving without a sign, and its control passed or failed by
luck (issue 18). A test asserts `gate.hits`, so a gate that is never passed fails it.
"""

import re
import threading
from collections.abc import Callable
from contextlib import ExitStack

from django.db import connection

# Longer than a thread takes between two passes of the gate (a whole request on a loaded machine), so
# only a lock, never slowness, breaks it; a locked race pays it once.
GATE_TIMEOUT = 3

# Django puts the row-lock clause last: "... FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]".
ROW_LOCK = re.compile(r" FOR (NO KEY )?UPDATE( OF .+?)?( NOWAIT| SKIP LOCKED)?$")


def insert_into(model) -> str:
    return f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "


def update(model) -> str:
    return f"UPDATE {connection.ops.quote_name(model._meta.db_table)} "


class Gate:
    """Holds each thread before a statement beginning with `before` until `parties` threads are there."""

    def __init__(self, parties: int, before: str):
        self.before = before
        self.hits = self.most_at_once = 0
        self._inside = 0
        self._count = threading.Lock()
        self._barrier = threading.Barrier(parties, timeout=GATE_TIMEOUT)

    def __call__(self, execute, sql, params, many, context):
        if sql.startswith(self.before):
            with self._count:
                self.hits += 1
                self._inside += 1
                self.most_at_once = max(self.most_at_once, self._inside)
            try:
                self._barrier.wait()
            except threading.BrokenBarrierError:
                pass  # a lock let one thread through alone, or a thread is done: the gate stays open
            finally:
                with self._count:
                    self._inside -= 1
        return execute(sql, params, many, context)

    def open(self) -> None:
        self._barrier.abort()


def _without_row_locks(execute, sql, params, many, context):
    return execute(ROW_LOCK.sub("", sql), params, many, context)


def run_together(jobs: list[Callable], gate: Gate | None = None, *, locks: bool = True) -> list:
    """Start each job in its own thread at one moment; what each returned or raised, in order. Without
    a gate the jobs only start together (a race on something other than the database, e.g. the cache).

    `locks=False` runs the same statements without what serialises them: no FOR UPDATE on PostgreSQL;
    on SQLite, whose lock is the IMMEDIATE write transaction (FOR UPDATE is ignored there), deferred
    transactions, which fail with "database is locked" once another thread wrote.
    """
    wrappers = [gate] if gate is not None else []
    options = connection.settings_dict["OPTIONS"]
    mode = options.get("transaction_mode")
    if not locks:
        if connection.vendor == "sqlite":
            options["transaction_mode"] = "DEFERRED"  # read when each thread connects
        else:
            wrappers.append(_without_row_locks)
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            with ExitStack() as stack:
                for wrapper in wrappers:
                    stack.enter_context(connection.execute_wrapper(wrapper))
                start.wait()
                results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            if gate is not None:
                gate.open()  # with one thread done no full wave can come: the rest need not wait
            connection.close()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(jobs)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        if mode is None:
            options.pop("transaction_mode", None)
        else:
            options["transaction_mode"] = mode
    assert not any(thread.is_alive() for thread in threads), "a racing thread never finished"
    return results
