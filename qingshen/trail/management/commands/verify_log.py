from django.core.management.base import BaseCommand, CommandError

from qingshen.trail.chain import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the operation log and report the first broken link."

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.ok:
            raise CommandError(
                f"Log chain broken at row {verdict.broken_seq} (id {verdict.broken_id}): {verdict.reason}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Log chain intact: {verdict.checked} rows ({verdict.first_seq}–{verdict.last_seq})."
            )
        )
