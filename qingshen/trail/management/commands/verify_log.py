from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingshen.trail.verification import log_verify_all


class Command(BaseCommand):
    help = (
        "Verify the operation log: the hash chain, the append-only triggers, the keyed checkpoints and "
        "the exported checkpoint file; name each that fails. By default only what was added since the "
        "last checkpoint a passing run reached (its record is sealed with the log key), so a daily run "
        "takes seconds however long the log; the rows before it are trusted as verified then. A row "
        "changed since in that older part (without recomputing the chain up to the checkpoint, which "
        "the incremental run does notice) is found only by --full: run it regularly too, e.g. weekly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints", metavar="FILE", help="also compare with a checkpoint file kept elsewhere"
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="check the whole log from its first row, not only what was added since the last run",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="walk a long chain in this many processes on PostgreSQL "
            "(default QINGSHEN_LOG_VERIFY_PROCESSES; 1 for one)",
        )

    def handle(self, *args, checkpoints=None, full=False, processes=None, **options):
        if processes is None:
            processes = settings.QINGSHEN_LOG_VERIFY_PROCESSES
        if processes < 1:
            raise CommandError("--processes must be 1 or more")
        kept = None
        if checkpoints:
            try:
                kept = Path(checkpoints).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"Cannot read {checkpoints}: {exc}") from None
        report = log_verify_all(kept_text=kept, full=full, processes=processes)
        if report.since is not None:
            self.stdout.write(
                f"incremental: from the checkpoint at row {report.since.seq} (--full checks all)"
            )
        for check in report.checks:
            line = f"{check.label}: {'ok' if check.ok else 'FAILED'} — {check.detail}"
            self.stdout.write(self.style.SUCCESS(line) if check.ok else self.style.ERROR(line))
        if not report.ok:
            failed = "; ".join(
                f"{c.label}{f' (row {c.seq})' if c.seq is not None else ''}: {c.detail}"
                for c in report.failed
            )
            raise CommandError(f"Log verification failed. {failed}")
