"""The periodic sweep: bring every open case's deadlines up to date (rule edits, newly loaded holidays),
then record today's early warnings (deadlines, discharge permits, late annual disclosures) and tell the
people concerned, detect overdue bureau duties (追责情形) and enqueue mail retries
that are due (a safety net for task backends that cannot defer), declare lost the background jobs whose
worker stopped (putting their imports and mails right), make final the review results whose public
notice (公示) ended with every objection answered, remove uploaded files no record names, and link the
operation log's events a stopped writer left unlinked (trail/linking.py).

Idempotent and safe to run as often as cron likes, and concurrently with itself.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connections

from qingshen.jobs.reaper import jobs_reap
from qingshen.maintenance.deadline_sweep import deadlines_sweep
from qingshen.maintenance.reconcile import files_reconcile
from qingshen.notifications.services import deliveries_retry_due
from qingshen.oversight.annual_warnings import annual_warnings_record
from qingshen.oversight.case_warning_notices import case_warnings_notify
from qingshen.oversight.permit_warnings import permit_warnings_record
from qingshen.oversight.services import accountability_detect, warnings_record
from qingshen.oversight.warning_notices import warnings_notify
from qingshen.procedures.versions import versions_apply_due
from qingshen.reviews.services.publicity import meetings_finalise_due
from qingshen.trail.linking import link_pending


class Command(BaseCommand):
    help = (
        "Recompute the deadlines of all open cases, record early warnings and detect overdue duties "
        "(idempotent; run from cron or a systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-recompute", action="store_true", help="Only record warnings and detect overdue duties."
        )
        parser.add_argument(
            "--force-recompute",
            action="store_true",
            help="Recompute every open case even if no rule, calendar row or library changed.",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again every SECONDS until interrupted (the demo's stand-in for cron; 0 = once).",
        )

    def handle(self, *args, every, **options):
        if every <= 0:
            self.sweep_once(**options)
            return
        try:
            while True:
                try:
                    self.sweep_once(**options)
                except Exception as exc:  # a busy database or a bad row: say so and try again next round
                    self.stderr.write(f"sweep failed, retrying in {every} s: {exc!r}")
                finally:
                    connections.close_all()
                time.sleep(every)
        except KeyboardInterrupt:  # Ctrl-C ends the loop quietly
            return

    def sweep_once(self, *, skip_recompute, force_recompute, **options):
        # First: the rows this sweep is about to log follow the ones a stopped writer left.
        self.stdout.write(f"log events linked that a stopped writer had left unlinked: {link_pending()}")
        if not skip_recompute:
            result = deadlines_sweep(force=force_recompute)
            if result.skipped:
                self.stdout.write(
                    "deadlines: no rule, calendar row or library changed since the last recompute"
                )
            else:
                self.stdout.write(
                    f"checked {result.checked} open cases: {result.moved} deadlines moved, "
                    f"{result.changed} cases' next deadline changed"
                )
        self.stdout.write(f"procedure editions put in effect: {versions_apply_due()}")
        counts = warnings_record()
        self.stdout.write(f"warnings recorded: {sum(counts.values())} {counts or ''}".rstrip())
        permits = permit_warnings_record()
        self.stdout.write(f"permit warnings recorded: {sum(permits.values())} {permits or ''}".rstrip())
        self.stdout.write(f"late annual disclosure warnings recorded: {annual_warnings_record()}")
        self.stdout.write(f"warning notices: {warnings_notify()}")
        self.stdout.write(f"permit and annual disclosure warning notices: {case_warnings_notify()}")
        self.stdout.write(f"accountability records opened: {accountability_detect()}")
        self.stdout.write(f"review results final after their public notice: {meetings_finalise_due()}")
        self.stdout.write(f"mail retries enqueued: {deliveries_retry_due()}")
        self.stdout.write(f"background jobs declared lost (their worker stopped): {len(jobs_reap())}")
        files = files_reconcile()
        self.stdout.write(f"files: removed {len(files.removed)} unreferenced, promoted {len(files.promoted)}")
