from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from qingshen.demo_data import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo city, enterprises, programmes, cases and one user per role (idempotent)."

    def handle(self, *args, **options):
        # Publishing the demo list invites every listed enterprise by mail; the demo addresses are
        # made up, so those mails are kept in memory instead of flooding the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. One login per role (password: {DEMO_PASSWORD}):")
        )
        for role, user in result["users"].items():
            self.stdout.write(f"  {role:<11} {user.username}")
