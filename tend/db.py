"""The PostgreSQL connection pool's retry rate, which decides how fast the site recovers after
terminated connections and restarts.

Measured with `make chaos` (two daphne processes, chat streaming): psycopg_pool tests an idle
connection before handing it out (Django turns this on with CONN_HEALTH_CHECKS) and, when the test
fails, pauses before trying the next one, with the backoff of its reconnection attempts (1, 2, 4, 8...
s); while a reconnection attempt waits it makes no other. After the servers' connections were
terminated (an administrator, a failover) chat stored nothing for 2.2 s, a pause per dead connection;
25 s after a 6 s restart, nothing for 34 s.

Every quarter of a second (jittered), not doubling: the pool serves again within about a quarter of a
second of the database answering, and a dead idle connection costs a quarter of a second. A refused
attempt is cheap; each logs a warning. Django builds the pool from settings, so the rate is set on the
class the pool uses (imported by the settings when the database is PostgreSQL).
"""

from psycopg_pool.base import AttemptWithBackoff

AttemptWithBackoff.INITIAL_DELAY = 0.25
AttemptWithBackoff.DELAY_BACKOFF = 1.0
