from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingshen.backup.services import BackupError, backup_create


class Command(BaseCommand):
    help = "Write a backup set: the database (consistent), the uploaded files, a SHA-256/SM3 manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", default=str(settings.QINGSHEN_BACKUP_DIR), help="where the set is written"
        )

    def handle(self, *args, dir, **options):
        try:
            path = backup_create(directory=Path(dir))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
