"""The periodic sweep: bring every open case's deadlines up to date (rule edits, newly loaded holidays).

Idempotent and safe to run as often as cron likes; early warnings build on it.
"""

from django.core.management.base import BaseCommand

from qingshen.cases.sweep import deadlines_sweep


class Command(BaseCommand):
    help = "Recompute the deadlines of all open cases (idempotent; run from cron or a systemd timer)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        result = deadlines_sweep(batch_size=batch_size)
        self.stdout.write(f"checked {result.checked} open cases, updated {result.changed}")
