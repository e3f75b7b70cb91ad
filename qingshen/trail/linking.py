"""Linking the operation log at commit (QINGSHEN_LOG_LINK = "commit").

A writer's transaction inserts its events unlinked (seq NULL, no digests) and takes no chain lock, so
concurrent writers no longer queue behind one another for the rest of their transactions. Once the
transaction commits, `link_pending` runs in a short transaction of its own: it waits for the chain head's
lock (never skips it: a linker that starts after my commit then sees my rows), links every committed
unlinked row in id order with the digest an inline append gives, writes the links in one statement per
batch and moves the head. Whoever holds the lock links the rows of every writer that committed
meanwhile, so under load one linker serves many transactions.

The chain's order is the link order: a total order, since every link is made under the head's lock.
Rows a writer committed but never linked (the process stopped in between) are linked by the next
linker, the periodic sweep or verify_log. The append-only triggers allow exactly this one change of a
row (append_only.py); the ORM keeps refusing every update, so linking goes through `_links_write` only.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from qingshen.core import plain_reads
from qingshen.trail import chain, checkpoints
from qingshen.trail.models import ChainHead, Checkpoint, Event

COMMIT, INLINE = "commit", "inline"
# Rows read and linked per round: bounds the linker's memory when a backlog waits (a sweep after a
# crash); one round is one statement per _WRITE_BATCH rows.
_ROUND = 2000
_WRITE_BATCH = 500


def link_mode() -> str:
    mode = settings.QINGSHEN_LOG_LINK
    if mode not in (COMMIT, INLINE):
        raise ValueError(f"QINGSHEN_LOG_LINK must be {COMMIT!r} or {INLINE!r}, not {mode!r}")
    return mode


def link_after_commit() -> None:
    """Have the pending rows linked once the current transaction commits (at once outside one).

    Registered once per transaction: a callback registered at the current savepoint level or above
    survives every rollback that leaves this event standing, so a second one would only find nothing."""
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        for sids, func, _robust in connection.run_on_commit:
            if func is link_pending and sids <= current:
                return
    # robust: the change is committed whatever happens here; a link that fails is made by the next one.
    transaction.on_commit(link_pending, robust=True)


def link_pending() -> int:
    """Link every committed unlinked row; the number linked. Its own transaction when called outside
    one; inside one it links what that transaction sees and holds the lock until it ends."""
    # Without the lock first: after my commit my rows show here as unlinked until a linker's commit
    # (which then shows them linked), so finding none means every row of mine is linked already, and
    # the writers whose rows another linker took need not queue for the lock only to find nothing.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_EVENTS} WHERE seq IS NULL LIMIT 1")  # noqa: S608 (the model's table)
        if cursor.fetchone() is None:
            return 0
    own = not connection.in_atomic_block
    with transaction.atomic():
        head = head_locked()
        before = head.seq or 0
        linked = link_locked(head)
        if own and linked and not sealed_between(before, head.seq) and connection.vendor == "postgresql":
            _commit_without_waiting_for_disk()
        return linked


def sealed_between(before: int, after: int) -> bool:
    """Whether linking rows `before`+1 … `after` sealed an interval checkpoint."""
    every = settings.QINGSHEN_LOG_CHECKPOINT_EVERY
    return after // every > before // every


def _commit_without_waiting_for_disk() -> None:
    """This link's commit returns before it reaches the disk, so the next linker queued on the head
    does not wait for it. Lost in a crash, the link only: its rows were committed by their writers (who
    wait for the disk as always), show unlinked again with the head back where it was, and the next
    linker or the sweep links them. A later commit that reaches the disk takes this one with it. Never
    for a link that seals a checkpoint (one written outside the database too)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


# Every write links and moves the head, so these few statements run at every change: written out, as
# the ORM's compilation of them cost more than the rest of the link.
_EVENTS, _HEAD = Event._meta.db_table, ChainHead._meta.db_table
_HEAD_FIELDS = ("id", "seq", "digest", "anchor_seq", "anchor_prev_digest")


def head_locked() -> ChainHead:
    """The chain's head, its row locked FOR UPDATE until the transaction ends (made if missing):
    whoever holds it is the one appender or linker."""
    head = _head_for_update()
    if head is None:
        ChainHead.objects.get_or_create(pk=1)
        head = _head_for_update()
    return head


def _head_for_update() -> ChainHead | None:
    sql = f"SELECT {', '.join(_HEAD_FIELDS)} FROM {_HEAD} WHERE id = 1"  # noqa: S608 (the model's table)
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return None if row is None else ChainHead.from_db(connection.alias, _HEAD_FIELDS, row)


def head_move(head: ChainHead, seq: int, digest: str) -> None:
    """The locked head moved to the last row linked, in its row and in memory."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {_HEAD} SET seq = %s, digest = %s WHERE id = %s", [seq, digest, head.pk])  # noqa: S608
    head.seq, head.digest = seq, digest


def link_locked(head: ChainHead) -> int:
    """Link the unlinked rows this transaction sees after `head`, which the caller has locked (FOR
    UPDATE, in this transaction); `head` is moved along in memory and in its row."""
    hex_of = chain.sm3_hex_function()
    every = settings.QINGSHEN_LOG_CHECKPOINT_EVERY
    seq, digest, linked = head.seq, head.digest or chain.GENESIS, 0
    # The hashed columns but seq (given here), as the model reads them (its converters), and the id.
    names = [name for name in chain.HASHED if name != "seq"]
    fields = tuple(Event._meta.get_field(name) for name in (*names, "id"))
    sql = (
        f"SELECT {', '.join(f.column for f in fields)} FROM {_EVENTS} "  # noqa: S608 (the model's names)
        f"WHERE seq IS NULL ORDER BY id LIMIT {_ROUND}"
    )
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            events = plain_reads.converted(cursor.fetchall(), fields, connection)
        if not events:
            break
        links, seals = [], []
        for *values, pk in events:
            seq += 1
            content = chain.canonical_values(seq=seq, **dict(zip(names, values, strict=True)))
            prev, digest = digest, hex_of(content + digest.encode())
            links.append((pk, seq, prev, digest))
            if seq % every == 0:
                seals.append((seq, digest))
        _links_write(links)
        for at, sealed in seals:
            checkpoints.checkpoint_write(seq=at, digest=sealed, reason=Checkpoint.Reason.INTERVAL)
        linked += len(events)
        if len(events) < _ROUND:
            break
    if linked:
        head_move(head, seq, digest)
    return linked


def _links_write(links: list[tuple[int, int, str, str]]) -> None:
    """(id, seq, prev_digest, digest) written in one UPDATE … FROM (VALUES …) per batch; only rows
    still unlinked match, and every one must (the caller holds the head's lock)."""
    cast = "(%s::bigint, %s::bigint, %s::varchar, %s::varchar)" if connection.vendor == "postgresql" else None
    row = cast or "(%s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for i in range(0, len(links), _WRITE_BATCH):
            batch = links[i : i + _WRITE_BATCH]
            values = ", ".join([row] * len(batch))
            cursor.execute(
                "UPDATE trail_event SET seq = v.column2, prev_digest = v.column3, digest = v.column4 "  # noqa: S608
                f"FROM (VALUES {values}) AS v "
                "WHERE trail_event.id = v.column1 AND trail_event.seq IS NULL AND trail_event.digest = ''",
                [value for link in batch for value in link],
            )
            if cursor.rowcount != len(batch):
                raise RuntimeError(f"linked {cursor.rowcount} of {len(batch)} log rows")


def pending_count(*, older_than_seconds: int | None = None) -> int:
    """Committed rows not linked yet, or only those whose time is more than so many seconds ago."""
    pending = Event.objects.filter(seq__isnull=True)
    if older_than_seconds is not None:
        pending = pending.filter(at__lt=timezone.now() - datetime.timedelta(seconds=older_than_seconds))
    return pending.count()
