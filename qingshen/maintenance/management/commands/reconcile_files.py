"""Uploaded files against their records: finish interrupted promotions, remove files no record names
that are older than QINGSHEN_ORPHAN_FILE_HOURS (also run by `manage.py sweep`)."""

from django.core.management.base import BaseCommand

from qingshen.maintenance.reconcile import files_reconcile


class Command(BaseCommand):
    help = "Remove uploaded files that no record names (older than QINGSHEN_ORPHAN_FILE_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None, help="age limit (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="only list what would be removed")

    def handle(self, *args, hours, dry_run, **options):
        report = files_reconcile(hours=hours, dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for name, size in report.removed:
            self.stdout.write(f"{verb}: {name} ({size} bytes)")
        self.stdout.write(
            f"files: {verb} {len(report.removed)} unreferenced ({report.removed_bytes} bytes), "
            f"promoted {len(report.promoted)}, kept {len(report.young)} too young to judge"
        )
