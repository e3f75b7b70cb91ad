from django.core.management.base import BaseCommand, CommandError

from qingshen.accounts.services import user_create_sysadmin


class Command(BaseCommand):
    help = "Create the first system administrator (asks for the password unless --password-env names a variable)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password-env", help="read the password from this environment variable")

    def handle(self, *args, username, password_env, **options):
        import getpass
        import os

        if password_env:
            password = os.environ.get(password_env, "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            user_create_sysadmin(username=username, password=password)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"System administrator {username} created."))
