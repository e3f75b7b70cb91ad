from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from qingshen.maintenance.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup set into an empty installation (a new, empty database is enough), migrate it "
        "to this version, and verify every digest and the log chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup set directory (qingshen-backup-...)")

    def handle(self, *args, path, **options):
        try:
            report = backup_restore(path=Path(path))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup set: {path} ({report.database})")
        self.stdout.write(f"Files verified against the manifest: {report.files_checked}")
        self.stdout.write(
            f"Migrations applied after the restore: {len(report.migrations_applied)}"
            + (f" ({', '.join(report.migrations_applied)})" if report.migrations_applied else "")
        )
        self.stdout.write(f"Documents verified against their recorded digests: {report.documents_checked}")
        self.stdout.write(f"Log rows in an intact chain: {report.log_rows}")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"PROBLEM: {problem}")
            raise CommandError(f"Restored with {len(report.problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS("Restore complete; every digest and the log chain verified."))
