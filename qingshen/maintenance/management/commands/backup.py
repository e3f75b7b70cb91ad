import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qingshen.maintenance.services import BackupError, backup_create


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
        skipped = json.loads((path / "manifest.json").read_text())["skipped_unreferenced"]
        if skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"Skipped {len(skipped)} file(s) no record names "
                    f"({sum(f['size'] for f in skipped)} bytes; `manage.py reconcile_files` removes them "
                    "once they are old enough):"
                )
            )
            for f in skipped[:50]:
                self.stdout.write(f"  {f['path']} ({f['size']} bytes)")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
