"""django-tasks-db's worker, which first declares lost the jobs a dead worker left running.

At start it fails the jobs still RUNNING under its own --worker-id (a worker runs one job at a time:
they died with its previous process) and those whose lease ran out; while it runs, a thread repeats
the second every half lease. Everything else is django-tasks-db's `db_worker` unchanged (this app is
listed before django_tasks_db, so `manage.py db_worker` is this command).
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from qingshen.jobs.reaper import Reaper, jobs_reap


class Command(DatabaseWorkerCommand):
    help = (
        "Run a database background worker; jobs a dead worker left running are declared lost first "
        "(give each worker a stable --worker-id so its restart fails its own dead jobs at once)."
    )

    def handle(self, *args, **options):
        lost = jobs_reap(worker_id=options["worker_id"], by="worker")
        if lost:
            self.stdout.write(f"jobs declared lost (their worker stopped): {len(lost)}")
        reaper = Reaper(options["worker_id"])
        reaper.start()
        try:
            super().handle(*args, **options)
        finally:
            reaper.stop()
