"""Verifying the operation log: each safeguard checked on its own and named when it fails.

- the hash chain (chain.py): every row links to the one before, from the anchor to the head, and an
  anchor after the first row is explained by a logged pruning;
- the append-only triggers (append_only.py) are in place and enabled;
- the keyed checkpoints in the database: sealed with this installation's key, none missing between
  them, and each still matching the row it sealed;
- the exported checkpoint file under the var directory, and a checkpoint file the auditor kept
  (downloaded or mailed): each line sealed and matching the log.
- no event waits to be linked (linking.py) longer than QINGSHEN_LOG_LINK_GRACE_SECONDS: the run links
  the waiting rows first, and names the ones that had waited that long (their writer stopped between
  its commit and the link).

A full run checks all of it. An incremental run (`full=False`, the daily `verify_log`) starts at the
last checkpoint a passing run reached (verification_marks.py): only the rows, checkpoints and exported
lines after it, and the mark's own seal. The rows are read in one snapshot (REPEATABLE READ on
PostgreSQL), so appends made meanwhile do not show as a break.
"""

import contextlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qingshen.trail import append_only, chain, checkpoints, linking, verification_marks
from qingshen.trail.models import ChainHead, Checkpoint, Event, Verification

LABELS = {
    "chain": gettext_lazy("The hash chain"),
    "triggers": gettext_lazy("The append-only triggers"),
    "checkpoints": gettext_lazy("The keyed checkpoints in the database"),
    "exported": gettext_lazy("The exported checkpoint file"),
    "kept": gettext_lazy("The checkpoint file you gave"),
    "linking": gettext_lazy("Linking at commit"),
}
_CHUNK = 500


@dataclass
class Check:
    key: str
    ok: bool
    detail: str
    seq: int | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.key])


@dataclass
class Report:
    verdict: chain.Verdict
    checks: list[Check] = field(default_factory=list)
    since: Verification | None = None  # where an incremental run started
    mark: Verification | None = None  # what this run recorded for the next one

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


class _Digests:
    """The digests of the rows at the checkpoints' sequence numbers, fetched in a few queries."""

    def __init__(self, seqs):
        self._known: dict[int, str] = {}
        wanted = sorted(set(seqs))
        for i in range(0, len(wanted), _CHUNK):
            rows = Event.objects.filter(seq__in=wanted[i : i + _CHUNK]).values_list("seq", "digest")
            self._known.update(rows)

    def get(self, seq: int) -> str | None:
        return self._known.get(seq)


def _against_log(seq: int, digest: str, head: ChainHead, digests: _Digests) -> str:
    """Why the log no longer holds the row a checkpoint sealed; empty when it does."""
    if seq > head.seq:
        return _(
            "The log ends at row %(end)s, before the checkpoint at row %(n)s: rows were removed from the end."
        ) % {"end": head.seq, "n": seq}
    if seq >= head.anchor_seq:
        found = digests.get(seq)
        if found is None:
            return _("Row %(n)s, which a checkpoint sealed, is missing.") % {"n": seq}
        if found != digest:
            return _("Row %(n)s is not the row the checkpoint sealed: the log was rewritten up to it.") % {
                "n": seq
            }
    elif seq == head.anchor_seq - 1 and (head.anchor_prev_digest or chain.GENESIS) != digest:
        return _("The last pruned row is not the row the checkpoint sealed.")
    return ""  # pruned: the archive holds the row


def _since_text(since: Verification) -> str:
    return _("since the verification of %(at)s through row %(seq)s") % {
        "at": timezone.localtime(since.at).strftime("%Y-%m-%d %H:%M"),
        "seq": since.seq,
    }


def _chain_check(
    head: ChainHead, since: Verification | None, processes: int = 1
) -> tuple[chain.Verdict, Check]:
    start = (since.seq + 1, since.digest) if since is not None and since.seq >= head.anchor_seq else None
    verdict = chain.verify(head=head, start=start, processes=processes)
    if not verdict.ok:
        return verdict, Check("chain", False, verdict.reason, verdict.broken_seq)
    if head.anchor_seq > 1:
        pruned = Event.objects.filter(
            action="log.prune", seq__gte=head.anchor_seq, after__through_seq=head.anchor_seq - 1
        )
        if not pruned.exists():
            reason = _("Rows before %(n)s were removed without a logged pruning.") % {"n": head.anchor_seq}
            return verdict, Check("chain", False, reason, head.anchor_seq)
    if since is not None and not verdict.checked:
        return verdict, Check("chain", True, _("No row was added %(since)s.") % {"since": _since_text(since)})
    if not verdict.checked:
        return verdict, Check("chain", True, _("The log is empty."))
    detail = _("%(n)s rows checked (%(first)s–%(last)s).") % {
        "n": verdict.checked,
        "first": verdict.first_seq,
        "last": verdict.last_seq,
    }
    if since is not None:
        detail = f"{detail} {_('Only the rows added %(since)s.') % {'since': _since_text(since)}}"
    return verdict, Check("chain", True, detail)


def _linking_check(stale: int, linked: int) -> Check:
    """`stale` rows had waited longer than the grace to be linked, `linked` were linked by this run."""
    grace = settings.QINGSHEN_LOG_LINK_GRACE_SECONDS
    if stale:
        reason = ngettext(
            "%(n)s event was still unlinked more than %(s)s seconds after it was written (a process "
            "stopped between its commit and linking it); %(linked)s linked now.",
            "%(n)s events were still unlinked more than %(s)s seconds after they were written (a process "
            "stopped between its commit and linking them); %(linked)s linked now.",
            stale,
        ) % {"n": stale, "s": grace, "linked": linked}
        return Check("linking", False, reason)
    return Check("linking", True, _("No event waited to be linked; %(n)s linked now.") % {"n": linked})


def _triggers_check() -> Check:
    problems = append_only.triggers_state()
    if problems:
        return Check("triggers", False, _("Missing or disabled: %(what)s.") % {"what": ", ".join(problems)})
    return Check("triggers", True, _("In place: the database refuses changes and deletions."))


def _checkpoints_check(
    head: ChainHead, digests: _Digests, rows: list[Checkpoint], since: Verification | None
) -> Check:
    prev_mac = since.checkpoint_mac if since is not None else ""
    problem = _against_log(since.seq, since.digest, head, digests) if since is not None else ""
    if problem:
        return Check("checkpoints", False, problem, since.seq)
    for cp in rows:
        if cp.prev_mac != prev_mac:
            return Check(
                "checkpoints", False, _("The checkpoint before row %(n)s is missing.") % {"n": cp.seq}, cp.seq
            )
        if not checkpoints.seal_holds(checkpoints.record_of(cp)):
            reason = _(
                "The checkpoint at row %(n)s is not sealed with this installation's log key (forged or altered)."
            ) % {"n": cp.seq}
            return Check("checkpoints", False, reason, cp.seq)
        problem = _against_log(cp.seq, cp.digest, head, digests)
        if problem:
            return Check("checkpoints", False, problem, cp.seq)
        prev_mac = cp.mac
    if not rows and since is not None:
        return Check(
            "checkpoints", True, _("No checkpoint was added %(since)s.") % {"since": _since_text(since)}
        )
    if not rows:
        return Check("checkpoints", True, _("No checkpoint yet."))
    return Check(
        "checkpoints",
        True,
        _("%(n)s checked, the last at row %(seq)s.") % {"n": len(rows), "seq": rows[-1].seq},
    )


def parse_lines(text: str) -> tuple[list[dict], str]:
    """The records of a checkpoint file, or the first line that is not one (with the reason)."""
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            valid = isinstance(record, dict) and all(name in record for name in (*checkpoints.FIELDS, "mac"))
            valid = valid and isinstance(record["seq"], int) and isinstance(record["digest"], str)
        except ValueError:
            valid = False
        if not valid:
            return records, _("Line %(n)s is not a checkpoint.") % {"n": number}
        record["_line"] = number
        records.append(record)
    return records, ""


def _file_check(key: str, records: list[dict], parse_error: str, head: ChainHead, digests: _Digests) -> Check:
    if parse_error:
        return Check(key, False, parse_error)
    for record in records:
        if not checkpoints.seal_holds(record):
            reason = _(
                "Line %(line)s (row %(n)s) is not sealed with this installation's log key (forged or altered)."
            ) % {"line": record["_line"], "n": record["seq"]}
            return Check(key, False, reason, record["seq"])
        problem = _against_log(record["seq"], record["digest"], head, digests)
        if problem:
            return Check(key, False, problem, record["seq"])
    if not records:
        return Check(key, True, _("No checkpoint in it yet: nothing to compare with."))
    last = max(r["seq"] for r in records)
    return Check(key, True, _("%(n)s checked, the last at row %(seq)s.") % {"n": len(records), "seq": last})


def _exported_records() -> tuple[list[dict], str, bool]:
    path = checkpoints.export_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], "", False
    except (OSError, UnicodeDecodeError):
        return [], _("The file cannot be read."), True
    records, error = parse_lines(text)
    return records, error, True


@contextlib.contextmanager
def _snapshot():
    """One transaction; on PostgreSQL a REPEATABLE READ snapshot unless the caller already opened one."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if not outer and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _mark_failure(mark: Verification, problem: str) -> tuple[chain.Verdict, Check]:
    verdict = chain.Verdict(False, 0, broken_seq=mark.seq, reason=problem)
    return verdict, Check("chain", False, f"{problem} {_('Run a full verification.')}", mark.seq)


def log_verify_all(*, kept_text: str | None = None, full: bool = True, processes: int = 1) -> Report:
    """Check everything, or (`full=False`) what was added since the last passing run; `kept_text` is
    a checkpoint file the auditor kept (downloaded or mailed), always checked whole; a long chain is
    walked in `processes` processes on PostgreSQL. A run that passes
    records the last checkpoint it reached, where the next incremental run starts."""
    # The file before the snapshot: each of its lines was committed before, so the snapshot holds its row.
    exported, exported_error, exported_found = _exported_records()
    kept, kept_error = parse_lines(kept_text) if kept_text is not None else ([], "")
    # Rows committed but not linked yet would be missing from the walk: link them first.
    stale = linking.pending_count(older_than_seconds=settings.QINGSHEN_LOG_LINK_GRACE_SECONDS)
    linked = linking.link_pending() if not connection.in_atomic_block else 0
    with _snapshot():
        head = ChainHead.objects.filter(pk=1).first() or ChainHead(pk=1)
        since = None if full else verification_marks.mark_latest()
        problem = verification_marks.mark_problem(since) if since is not None else ""
        if problem:
            verdict, chain_check = _mark_failure(since, problem)
            since = None
        else:
            verdict, chain_check = _chain_check(head, since, processes)
        rows = Checkpoint.objects.order_by("seq")
        if since is not None:
            rows = rows.filter(seq__gt=since.seq)
            exported = [r for r in exported if r["seq"] > since.seq]
        rows = list(rows)
        seqs = [cp.seq for cp in rows] + [r["seq"] for r in exported + kept]
        digests = _Digests(seqs + ([since.seq] if since is not None else []))
        report = Report(
            verdict,
            [chain_check, _triggers_check(), _checkpoints_check(head, digests, rows, since)],
            since=since,
        )
        exported_check = _file_check("exported", exported, exported_error, head, digests)
        if exported_check.ok and not exported_found and (rows or since is not None):
            exported_check.detail = _(
                "The file %(path)s is missing: nothing to compare with. Restore it from its copies."
            ) % {"path": checkpoints.export_path()}
        elif exported_check.ok and not exported_found:
            exported_check.detail = _("No checkpoint has been exported yet.")
        elif exported_check.ok and since is not None and not exported:
            exported_check.detail = _("No checkpoint was added %(since)s.") % {"since": _since_text(since)}
        report.checks.append(exported_check)
        if stale or linking.link_mode() == linking.COMMIT:  # inline, rows wait only after a change of mode
            report.checks.append(_linking_check(stale, linked))
        if kept_text is not None:
            report.checks.append(_file_check("kept", kept, kept_error, head, digests))
        if report.ok and rows:
            report.mark = verification_marks.mark_write(rows[-1], full=full, checked=verdict.checked)
    return report
