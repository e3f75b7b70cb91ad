"""Walking a long chain in several processes (PostgreSQL): the rows are cut into contiguous parts by
sequence number, each part checked by a forked process on its own connection, and the parts' ends
matched by chain._stitched, so the verdict is the one a single walk gives.

Building the canonical bytes and hashing hold one Python process's interpreter lock: a single walk
cannot go faster than one core, plus its PostgreSQL backend producing the streamed rows meanwhile, so
the parts help on a machine with cores to spare (settings_log.py: the default). Every worker reads
the snapshot the caller's transaction exported (pg_export_snapshot), so the parts see exactly the rows
the caller sees, however many are appended meanwhile.
"""

import concurrent.futures
import contextlib
import multiprocessing
import re

from django.conf import settings
from django.db import connections, transaction

# What the forked workers read: set just before the fork, in the parent's memory they start with.
_job: dict = {}
# Each worker keeps the connection it inherited referenced, unclosed: closing it (or letting it be
# collected) would end the parent's database session, which shares its socket.
_inherited: list = []
_SNAPSHOT = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")


def bounds(first_seq: int, last_seq: int, processes: int) -> list[tuple[int, int | None]]:
    """`processes` ranges [low, high) of sequence numbers covering first_seq..last_seq; the last one
    open, so that rows beyond the recorded head are walked too (and found)."""
    size = -(-(last_seq - first_seq + 1) // processes)
    lows = [first_seq + i * size for i in range(processes) if first_seq + i * size <= last_seq]
    return [(low, lows[i + 1] if i + 1 < len(lows) else None) for i, low in enumerate(lows)]


def _part(index: int):
    from qingshen.trail import chain

    queryset, parts, snapshot = _job["queryset"], _job["bounds"], _job["snapshot"]
    alias = queryset.db
    inherited = connections[alias]
    _inherited.append(inherited)
    own = type(inherited)(inherited.settings_dict, alias)
    connections[alias] = own
    low, high = parts[index]
    part = queryset.filter(seq__gte=low) if high is None else queryset.filter(seq__gte=low, seq__lt=high)
    try:
        with transaction.atomic(using=alias), own.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            return chain.part_checked(part)
    finally:
        own.close()


def parts_checked(queryset, first_seq: int, last_seq: int, processes: int):
    """chain.part_checked's result per part, in order; None when the walk is better done in one
    process (one process asked, another database, or fewer rows than QINGSHEN_LOG_VERIFY_PARALLEL_FROM)."""
    connection = connections[queryset.db]
    if (
        processes < 2
        or connection.vendor != "postgresql"
        or last_seq - first_seq + 1 < settings.QINGSHEN_LOG_VERIFY_PARALLEL_FROM
    ):
        return None
    outer = connection.in_atomic_block
    if outer and connection.savepoint_ids:
        return None  # inside a savepoint PostgreSQL cannot export the snapshot: one walk
    with contextlib.ExitStack() as stack:
        if not outer:
            stack.enter_context(transaction.atomic(using=queryset.db))
        with connection.cursor() as cursor:
            if not outer:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        if not _SNAPSHOT.match(snapshot):
            return None
        parts = bounds(first_seq, last_seq, processes)
        _job.update(queryset=queryset, bounds=parts, snapshot=snapshot)
        try:
            context = multiprocessing.get_context("fork")
            with concurrent.futures.ProcessPoolExecutor(len(parts), mp_context=context) as pool:
                return list(pool.map(_part, range(len(parts))))
        finally:
            _job.clear()
