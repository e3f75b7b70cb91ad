import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from qingshen.accounts.parameters import param
from qingshen.trail.archive import prune


class Command(BaseCommand):
    help = "Archive then delete operation-log rows older than the retention period (security parameter)."

    def add_arguments(self, parser):
        parser.add_argument("--archive-dir", default=str(settings.QINGSHEN_LOG_ARCHIVE_DIR))

    def handle(self, *args, archive_dir, **options):
        days = param("log_retention_days")
        done = prune(older_than=timezone.now() - datetime.timedelta(days=days), archive_dir=Path(archive_dir))
        if not done["count"]:
            self.stdout.write(f"Nothing older than {days} days.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Archived {done['count']} rows to {done['archive']} and removed them.")
            )
