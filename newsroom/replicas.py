"""Reads from an optional PostgreSQL read replica, never older than the last change readers must see.

With ``DATABASE_REPLICA_URL`` set, the page a reader asks for (a ``public_page`` view rendered for
the page cache) reads from the replica, and everything else (staff, forms, writes, the workflow)
uses the primary. A replica lags its primary a little, and a page rendered from a replica that has
not yet replayed the latest publish would be cached as the current page. So every content
change records the primary's WAL position after it commits, and reader requests use the replica only
once it has replayed that far; until then they read from the primary.
"""

import contextvars
from contextlib import contextmanager, nullcontext

from django.conf import settings
from django.core.cache import cache
from django.db import connections

REPLICA = "replica"
PRIMARY_POSITION_KEY = "newsroom:primary-wal-position"
_reader_request = contextvars.ContextVar("newsroom_reader_request", default=False)


class ReplicaRouter:
    """Reader requests read from the replica; all writes, and all other reads, go to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reader_request.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


def has_replica() -> bool:
    return REPLICA in settings.DATABASES


def record_primary_position() -> None:
    """After a commit: remember how far the primary's log has come, for replica_is_current()."""
    if has_replica() and connections["default"].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            cache.set(PRIMARY_POSITION_KEY, cursor.fetchone()[0], timeout=None)


def replica_is_current() -> bool:
    """Whether the replica has replayed the last recorded content change (unknown counts as no)."""
    position = cache.get(PRIMARY_POSITION_KEY)
    if position is None:  # the cache lost it: take the primary's position now
        record_primary_position()
        position = cache.get(PRIMARY_POSITION_KEY)
        if position is None:
            return False
    with connections[REPLICA].cursor() as cursor:
        # NULL when the "replica" is not in recovery, i.e. it is itself a primary: then it is current.
        cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [position])
        return bool(cursor.fetchone()[0])


@contextmanager
def _reading_from_replica():
    token = _reader_request.set(True)
    try:
        yield
    finally:
        _reader_request.reset(token)


def reader_reads():
    """Context for rendering a reader's page: on the replica when there is one and it is current."""
    return _reading_from_replica() if has_replica() and replica_is_current() else nullcontext()
