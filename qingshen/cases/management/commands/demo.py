from django.core.management.base import BaseCommand

from qingshen.demo_data import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo city, enterprises, programmes, cases and one user per role (idempotent)."

    def handle(self, *args, **options):
        result = demo_load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. One login per role (password: {DEMO_PASSWORD}):")
        )
        for role, user in result["users"].items():
            self.stdout.write(f"  {role:<11} {user.username}")
