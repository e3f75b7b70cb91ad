from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from qingshen.demo.data import demo_load, demo_relax_second_factor
from qingshen.demo.world import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo city, enterprises, programmes, cases and one user per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-second-factor",
            action="store_true",
            help="Local demo only: no role must use TOTP (the change is logged as the demo security admin's).",
        )

    def handle(self, *args, no_second_factor=False, **options):
        # Publishing the demo list invites every listed enterprise by mail; the demo addresses are
        # made up, so those mails are kept in memory instead of flooding the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = demo_load()
        if no_second_factor:
            demo_relax_second_factor(result["users"]["security"])
            self.stdout.write(
                self.style.WARNING(
                    "Demo: no role needs a second factor (never do this on a real installation)."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. One login per role (password: {DEMO_PASSWORD}):")
        )
        for role, user in result["users"].items():
            self.stdout.write(f"  {role:<11} {user.username}")
