"""What someone with the database owner's rights can do to the log: drop the triggers, then edit,
delete, recompute the unkeyed chain and move its head. The tests show which safeguard notices."""

from django.db import connection, models

from qingshen.trail import append_only, chain
from qingshen.trail.models import ChainHead, Checkpoint, Event


def owner_drops_triggers():
    """Rolled back with the test's transaction (DDL is transactional on SQLite and PostgreSQL)."""
    with connection.cursor() as cursor:
        for statement in append_only.drop_sql(connection.vendor):
            cursor.execute(statement)


def tamper_update(pk, **fields):
    owner_drops_triggers()
    models.QuerySet.update(Event.objects.filter(pk=pk), **fields)


def tamper_delete(pk):
    owner_drops_triggers()
    models.QuerySet.delete(Event.objects.filter(pk=pk))


def delete_last_rows_and_move_head_back(count):
    """The first attack: the last rows go and the head points at the row before them."""
    owner_drops_triggers()
    keep = Event.objects.order_by("-seq")[count]
    models.QuerySet.delete(Event.objects.filter(seq__gt=keep.seq))
    ChainHead.objects.filter(pk=1).update(seq=keep.seq, digest=keep.digest)
    return keep.seq


def edit_row_and_recompute_chain(seq, **fields):
    """The second attack: one row changed, every digest after it recomputed, the head moved along."""
    owner_drops_triggers()
    prev = None
    for event in Event.objects.filter(seq__gte=seq).order_by("seq"):
        changes = fields if event.seq == seq else {}
        for name, value in changes.items():
            setattr(event, name, value)
        if prev is not None:
            event.prev_digest = prev
        event.digest = chain.digest_of(event)
        models.QuerySet.update(
            Event.objects.filter(pk=event.pk), prev_digest=event.prev_digest, digest=event.digest, **changes
        )
        prev = event.digest
    ChainHead.objects.filter(pk=1).update(digest=prev)


def delete_checkpoints_after(seq):
    owner_drops_triggers()
    models.QuerySet.delete(Checkpoint.objects.filter(seq__gt=seq))


def recompute_checkpoint_digests():
    """Point every checkpoint at the rewritten rows (the seals cannot follow without the key)."""
    owner_drops_triggers()
    for checkpoint in Checkpoint.objects.all():
        digest = Event.objects.filter(seq=checkpoint.seq).values_list("digest", flat=True).first()
        if digest:
            models.QuerySet.update(Checkpoint.objects.filter(pk=checkpoint.pk), digest=digest)
