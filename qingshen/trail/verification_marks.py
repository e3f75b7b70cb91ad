"""Where an incremental verification starts: the last checkpoint that a passing run reached.

A run that passes records the checkpoint it reached (its row number, digest and seal), itself sealed
with HMAC-SM3 under the log key, so that whoever can write the database cannot move the mark forward
to make the next run skip rows. The next incremental run checks the mark, then only the rows and the
checkpoints after it. Rows before the mark are trusted as they were verified: a change to them made
since (without recomputing the chain up to the checkpoint, which the mark's check would show) is found
only by a full run (`verify_log --full`).
"""

import datetime
import hmac
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.trail.models import Checkpoint, Verification


def _at_text(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sealed_content(mark: Verification) -> bytes:
    """What the mark's seal covers; "kind" keeps it apart from a checkpoint's sealed content."""
    content = {
        "v": 1,
        "kind": "verification",
        "seq": mark.seq,
        "digest": mark.digest,
        "checkpoint_mac": mark.checkpoint_mac,
        "at": _at_text(mark.at),
        "full": mark.full,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _seal(mark: Verification) -> str:
    from qingshen.core.keyservice import log_mac

    return log_mac(sealed_content(mark))


def mark_latest() -> Verification | None:
    return Verification.objects.order_by("-seq", "-id").first()


def mark_problem(mark: Verification) -> str:
    """Why the mark cannot be trusted as a starting point; empty when it can. (That the row at the mark
    still carries the sealed digest is checked with the other checkpoints, against the log.)"""
    if not hmac.compare_digest(_seal(mark), mark.mac):
        return _(
            "The record of the last verification (row %(n)s) is not sealed with this installation's log "
            "key (forged or altered)."
        ) % {"n": mark.seq}
    checkpoint = Checkpoint.objects.filter(seq=mark.seq).first()
    if checkpoint is None or checkpoint.mac != mark.checkpoint_mac or checkpoint.digest != mark.digest:
        return _("The checkpoint at row %(n)s, where the last verification ended, is missing or altered.") % {
            "n": mark.seq
        }
    return ""


def mark_write(checkpoint: Checkpoint, *, full: bool, checked: int) -> Verification:
    """Record that the log verified through `checkpoint` (only after a run that passed)."""
    mark = Verification(
        seq=checkpoint.seq,
        digest=checkpoint.digest,
        checkpoint_mac=checkpoint.mac,
        at=timezone.now(),
        full=full,
        checked=checked,
        mac="",
    )
    mark.mac = _seal(mark)
    mark.save(force_insert=True)
    return mark
