"""`flush` would delete the append-only operation log: refused, except for the test runner."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from qingshen.trail import append_only


class Command(FlushCommand):
    help = FlushCommand.help + " Refused while the operation log has rows (it is append-only)."

    def handle(self, **options):
        database = options.get("database") or DEFAULT_DB_ALIAS
        if "trail_event" not in connections[database].introspection.table_names():
            return super().handle(**options)  # not migrated yet: no triggers to pass
        from qingshen.trail.models import Event

        if not settings.QINGSHEN_LOG_FLUSH_ALLOWED and Event.objects.using(database).exists():
            raise CommandError(
                "The operation log is append-only: flush would delete it. Old rows go through "
                "`manage.py prune_log`; to start afresh, create a new database."
            )
        with append_only.unlocked(using=database):
            return super().handle(**options)
