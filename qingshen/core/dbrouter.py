"""Reads of the reports and the dashboard go to the read replica, everything else to the primary.

    @replica_reads
    def dashboard(...): ...      # every read inside runs on settings.QINGSHEN_READ_REPLICA

Only code that marks itself so reads from the replica: those pages may be a moment behind the primary
(replication lag), which a figure tolerates and a case page or a transition would not. Writes always go
to the primary, and so does every read inside a transaction on the primary (it may need to see its own
writes, and a row it locks is the primary's). Without a replica (QINGSHEN_READ_REPLICA empty) the
router leaves everything to Django's default.
"""

import contextvars
import functools

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_replica_wanted = contextvars.ContextVar("qingshen_replica_reads", default=False)


def replica_alias() -> str | None:
    """The alias reads go to now: the replica inside `replica_reads` when one is configured and no
    transaction is open on the primary, else None (the primary)."""
    alias = settings.QINGSHEN_READ_REPLICA
    if not alias or not _replica_wanted.get():
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return alias


def replica_reads(func):
    """Run `func` with its reads on the replica (see the module)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        token = _replica_wanted.set(True)
        try:
            return func(*args, **kwargs)
        finally:
            _replica_wanted.reset(token)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return replica_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may relate to the other's.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica gets its schema by replication, never by `migrate`.
        return db == DEFAULT_DB_ALIAS
