"""Writing the operation log. Call inside the same transaction as the change it records.

An event is linked into the chain either in the writer's transaction, under the chain head's lock held
until it commits (QINGSHEN_LOG_LINK = "inline"), or after it commits (= "commit", linking.py): the row
goes in unlinked and the transaction takes no chain lock. Bulk appends (events_record_many) link inline
in either mode: one lock for thousands of rows."""

from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from qingshen.core.bulk_rows import rows_insert
from qingshen.core.masking import PERSONAL_KEY_PATTERN, SECRET_KEY_PATTERN, SECRET_MASK, mask
from qingshen.trail import chain, checkpoints, linking
from qingshen.trail.context import current_client_ip
from qingshen.trail.models import ChainHead, Checkpoint, Event

MASK = SECRET_MASK


def _masked(key: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    if SECRET_KEY_PATTERN.search(key):
        return MASK
    if PERSONAL_KEY_PATTERN.search(key) and isinstance(value, str):
        return mask(value)
    return _jsonable(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _masked(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def event_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    result: str = Event.Result.SUCCESS,
    client_ip: str | None = None,
    actor_name: str = "",
) -> Event:
    """Append one event. `action` is a dotted string such as ``case.transition.disclose``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = Event(
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else actor_name,
        client_ip=client_ip if client_ip is not None else current_client_ip.get(),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
        result=result,
    )
    return _append(event)


def events_record_many(*, action: str, actor=None, items: list[tuple[models.Model, dict]]) -> int:
    """Append one event per (object, after) in one locked step: the chain is linked in memory and the
    rows go in plain multi-row inserts (core.bulk_rows; an import of thousands of rows; bulk_create's per-field
    compilation cost more than the rest of the append). Same rows, same digests as event_record."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if not items:
        return 0
    ip_field, after_field = Event._meta.get_field("client_ip"), Event._meta.get_field("after")
    ip = ip_field.get_prep_value(current_client_ip.get())
    ip_db = ip_field.get_db_prep_save(ip, connection)
    hex_of = chain.sm3_hex_function()
    actor_id, actor_name = (actor.pk, actor.get_username()) if actor is not None else (None, "")
    with transaction.atomic():
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
        seq, digest, now = head.seq, head.digest or chain.GENESIS, timezone.now()
        at_db = Event._meta.get_field("at").get_db_prep_save(now, connection)
        rows, seals = [], []
        for obj, after in items:
            seq += 1
            values = dict(
                seq=seq,
                at=now,
                actor_id=actor_id,
                actor_name=actor_name,
                client_ip=ip,
                action=action,
                result=Event.Result.SUCCESS.value,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                before=None,
                after=_jsonable(after),
                note="",
            )
            prev, digest = (
                digest,
                hex_of(chain.canonical_values(*(values[name] for name in chain.HASHED)) + digest.encode()),
            )
            values.update(
                at=at_db, client_ip=ip_db, after=after_field.get_db_prep_save(values["after"], connection)
            )
            rows.append((*(values[name] for name in chain.HASHED), prev, digest))
            if seq % settings.QINGSHEN_LOG_CHECKPOINT_EVERY == 0:
                seals.append((seq, digest))
        rows_insert(Event, (*chain.HASHED, "prev_digest", "digest"), rows)
        ChainHead.objects.filter(pk=1).update(seq=seq, digest=digest)
        for at, sealed in seals:
            checkpoints.checkpoint_write(seq=at, digest=sealed, reason=Checkpoint.Reason.INTERVAL)
    return len(rows)


def _append(event: Event) -> Event:
    """Write the event: unlinked, to be linked once the transaction commits (linking.py), or linked
    here (inline)."""
    if linking.link_mode() == linking.COMMIT:
        event.at = timezone.now()
        event.client_ip = Event._meta.get_field("client_ip").get_prep_value(event.client_ip)
        event.seq, event.prev_digest, event.digest = None, "", ""
        event.save(force_insert=True)
        linking.link_after_commit()
        return event
    return _append_inline(event)


def _append_inline(event: Event) -> Event:
    """Link the event to the chain. Locking the head row serialises appenders (one chain, no fork);
    every QINGSHEN_LOG_CHECKPOINT_EVERY rows the new head is sealed, under the same lock."""
    with transaction.atomic():
        head = linking.head_locked()
        event.at = timezone.now()
        # Hash what the database will hand back (IPv6 is normalised on the way in).
        event.client_ip = Event._meta.get_field("client_ip").get_prep_value(event.client_ip)
        event.seq = head.seq + 1
        event.prev_digest = head.digest or chain.GENESIS
        event.digest = chain.digest_of(event)
        event.save(force_insert=True)
        linking.head_move(head, event.seq, event.digest)
        if event.seq % settings.QINGSHEN_LOG_CHECKPOINT_EVERY == 0:
            checkpoints.checkpoint_write(
                seq=event.seq, digest=event.digest, reason=Checkpoint.Reason.INTERVAL
            )
    return event
