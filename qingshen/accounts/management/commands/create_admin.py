from django.core.management.base import BaseCommand, CommandError

from qingshen.accounts.services import user_create_admin


class Command(BaseCommand):
    help = "Create one of the three administrators (sysadmin, security, auditor) from the command line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=["sysadmin", "security", "auditor"])
        parser.add_argument("--password-env", help="read the password from this environment variable")

    def handle(self, *args, username, role, password_env, **options):
        import getpass
        import os

        if password_env:
            password = os.environ.get(password_env, "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user_create_admin(username=username, password=password, role=role)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{role} {username} created."))
