"""Keyed checkpoints of the log chain, kept in the database and exported off it.

The SM3 chain alone is unkeyed: whoever can write the database can delete the last rows and move the
head back, or edit a row and recompute every digest after it. A checkpoint records a row's sequence
number and digest — which, through the chain, stands for every row before it — sealed with HMAC-SM3
under a key from the key service that the database never holds. Each seal covers the previous one, so
a checkpoint cannot be removed from the middle either. Every checkpoint is also appended to a JSON-lines
file under the var directory, can be downloaded by the auditor and mailed to them: a rewrite of the log
shows against the last checkpoint kept outside the database.
"""

import datetime
import json
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qingshen.trail.models import ChainHead, Checkpoint

log = logging.getLogger(__name__)

FIELDS = ("seq", "digest", "at", "reason", "prev_mac")


def _at_text(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sealed_content(record: dict) -> bytes:
    """What the seal covers, in a fixed form: the same bytes from a row or from a line of the file."""
    content = {"v": 1, **{name: record[name] for name in FIELDS}}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record_of(checkpoint: Checkpoint) -> dict:
    """The checkpoint as one line of the exported file."""
    record = {name: getattr(checkpoint, name) for name in FIELDS}
    record["at"] = _at_text(checkpoint.at)
    record["mac"] = checkpoint.mac
    return record


def line_of(checkpoint: Checkpoint) -> str:
    return json.dumps(record_of(checkpoint), sort_keys=True, ensure_ascii=False)


def seal(record: dict) -> str:
    from qingshen.core.keyservice import log_mac

    return log_mac(sealed_content(record))


def seal_holds(record: dict) -> bool:
    import hmac

    return isinstance(record.get("mac"), str) and hmac.compare_digest(seal(record), record["mac"])


def checkpoint_write(*, seq: int, digest: str, reason: str) -> Checkpoint:
    """Seal the head at `seq`. Only under the chain head's lock (services, linking, checkpoint_at_head),
    so the previous seal read here is the last one."""
    prev_mac = Checkpoint.objects.order_by("-seq").values_list("mac", flat=True).first() or ""
    checkpoint = Checkpoint(
        seq=seq, digest=digest, at=timezone.now(), reason=reason, prev_mac=prev_mac, mac=""
    )
    checkpoint.mac = seal(record_of(checkpoint))
    checkpoint.save(force_insert=True)
    # Only once committed: a line for a row that was rolled back would later contradict the log.
    transaction.on_commit(lambda: export_append(checkpoint), robust=True)
    return checkpoint


def checkpoint_at_head(*, reason: str) -> Checkpoint:
    """A checkpoint at the current head (the caller has usually just appended the row that says why:
    linked here first if it waits to be linked at commit, so the checkpoint covers it)."""
    from qingshen.trail import linking

    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        linking.link_locked(head)
        existing = Checkpoint.objects.filter(seq=head.seq).first()
        return existing or checkpoint_write(seq=head.seq, digest=head.digest, reason=reason)


def checkpoint_create(
    *, reason: str = Checkpoint.Reason.DEMAND, actor=None, actor_name: str = ""
) -> Checkpoint:
    """A checkpoint on demand (the auditor, `manage.py log_checkpoint`), logged as it is made."""
    from qingshen.trail.services import event_record

    with transaction.atomic():
        event_record(action="log.checkpoint", actor=actor, actor_name=actor_name, after={"reason": reason})
        return checkpoint_at_head(reason=reason)


def export_path() -> Path:
    return Path(settings.QINGSHEN_LOG_CHECKPOINT_FILE)


def export_append(checkpoint: Checkpoint) -> None:
    """One line per checkpoint, appended (never rewritten); one write call, so concurrent writers'
    lines do not interleave."""
    path = export_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line_of(checkpoint) + "\n")
    except OSError:
        log.exception("could not append checkpoint %s to %s", checkpoint.seq, path)


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-seq").first()
