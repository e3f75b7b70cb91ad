"""Exporting the log (csv/xlsx for the auditor, jsonl archives before pruning) and pruning it."""

import csv
import datetime
import io
import json
from pathlib import Path

from django.db import models, transaction
from django.utils import timezone

from qingshen.core.files.spreadsheets import escape_cell
from qingshen.trail import append_only, chain, checkpoints, linking
from qingshen.trail.models import ChainHead, Checkpoint, Event

COLUMNS = [
    "seq",
    "at",
    "actor_name",
    "client_ip",
    "action",
    "result",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "note",
    "prev_digest",
    "digest",
]


def _cell(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return escape_cell(value)


def rows(queryset):
    for event in queryset.order_by("seq").iterator(chunk_size=2000):
        yield [_cell(getattr(event, name)) for name in COLUMNS]


def export_csv(queryset) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows(queryset))
    return ("\ufeff" + out.getvalue()).encode()  # BOM: Excel opens UTF-8 Chinese correctly


def export_xlsx(queryset) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("log")
    sheet.write_row(0, 0, COLUMNS)
    for i, row in enumerate(rows(queryset), start=1):
        sheet.write_row(i, 0, row)
    book.close()
    return out.getvalue()


def archive_write(queryset, directory: Path, name: str) -> tuple[Path, str]:
    """One JSON line per event, every column incl. the digests, so the archive itself verifies."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for event in queryset.order_by("seq").iterator(chunk_size=2000):
            record = json.loads(chain.canonical(event))
            record.update(id=event.pk, prev_digest=event.prev_digest, digest=event.digest)
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    digest = chain.sm3_hex(path.read_bytes())
    path.with_suffix(".jsonl.sm3").write_text(f"{digest}  {path.name}\n")
    return path, digest


def prune(*, older_than: datetime.datetime, archive_dir: Path, actor=None) -> dict:
    """Archive then delete the events before `older_than`; the chain re-anchors on the first kept row.

    Returns what was done; the pruning itself is logged (by the caller's event_record below).
    """
    from qingshen.trail.services import event_record

    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        linking.link_locked(head)  # so that every old row has its place in the chain
        old = Event.objects.filter(at__lt=older_than, seq__isnull=False)
        last_old = old.order_by("-seq").first()
        if last_old is None:
            return {"count": 0}
        old = Event.objects.filter(seq__lte=last_old.seq)  # a prefix of the chain, never a hole
        name = f"log-{old.order_by('seq').first().seq}-{last_old.seq}-{timezone.now():%Y%m%d%H%M%S}"
        path, digest = archive_write(old, archive_dir, name)
        count = old.count()
        # The one sanctioned delete: the base QuerySet's past the ORM's guard, the triggers' guard set.
        with append_only.unlocked():
            models.QuerySet.delete(old)
        ChainHead.objects.filter(pk=head.pk).update(
            anchor_seq=last_old.seq + 1, anchor_prev_digest=last_old.digest
        )
        done = {"count": count, "through_seq": last_old.seq, "archive": str(path), "archive_sm3": digest}
        event_record(action="log.prune", actor=actor, actor_name="manage.py", after=done)
        checkpoints.checkpoint_at_head(reason=Checkpoint.Reason.PRUNE)
    return done
