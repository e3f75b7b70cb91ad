"""Every job the database worker runs holds a lease, renewed by a heartbeat thread while it runs.

django-tasks-db marks a job RUNNING when a worker claims it and only its own worker ever finishes it:
a worker killed mid-job (kill -9, OOM, a power cut) leaves it RUNNING for ever, and whatever the job
had marked as in progress (an import "being imported") stays so. The lease says whether the worker is
still there: `task_started` takes it and starts a thread that renews it every
QINGSHEN_JOB_LEASE_SECONDS / 4; `task_finished` stops the thread and removes it. The reaper
(jobs/reaper.py) declares lost the jobs whose lease ran out.
"""

import json
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import DatabaseError, connections
from django.dispatch import receiver
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, task_finished, task_started

from qingshen.jobs.models import JobLease

logger = logging.getLogger(__name__)
_beating: dict[str, "Heartbeat"] = {}


def args_key(args, kwargs) -> str:
    return json.dumps({"args": list(args), "kwargs": kwargs}, sort_keys=True, ensure_ascii=False)


def heartbeat_seconds() -> float:
    return settings.QINGSHEN_JOB_LEASE_SECONDS / 4


class Heartbeat(threading.Thread):
    """Renews one lease until stopped, on its own database connection."""

    def __init__(self, task_id: str):
        super().__init__(name=f"lease-{task_id}", daemon=True)
        self.task_id = task_id
        self._stop_event = threading.Event()

    def run(self):
        try:
            while not self._stop_event.wait(heartbeat_seconds()):
                try:
                    JobLease.objects.filter(pk=self.task_id, outcome=JobLease.Outcome.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # a locked SQLite file, a dropped connection: try at the next beat
                    logger.warning("lease %s: heartbeat not written", self.task_id, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self):
        self._stop_event.set()
        self.join()


def _is_database_backend(sender) -> bool:
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, DatabaseBackend)


@receiver(task_started, dispatch_uid="qingshen.jobs.lease_take")
def lease_take(sender, task_result, **kwargs):
    if not _is_database_backend(sender):
        return  # the immediate backend runs inside the caller's own request or command
    now = timezone.now()
    worker_ids = list(getattr(task_result, "worker_ids", []) or [])
    JobLease.objects.update_or_create(
        task_id=task_result.id,
        defaults={
            "task_path": task_result.task.module_path,
            "args_key": args_key(task_result.args, task_result.kwargs),
            "worker_id": worker_ids[-1] if worker_ids else "",
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "heartbeat_at": now,
            "outcome": JobLease.Outcome.RUNNING,
        },
    )
    beat = Heartbeat(str(task_result.id))
    _beating[str(task_result.id)] = beat
    beat.start()


@receiver(task_finished, dispatch_uid="qingshen.jobs.lease_release")
def lease_release(sender, task_result, **kwargs):
    if not _is_database_backend(sender):
        return
    beat = _beating.pop(str(task_result.id), None)
    if beat is not None:
        beat.stop()
    if task_result.status == TaskResultStatus.FAILED and _interrupted(task_result):
        # Stopped by a signal (a second Ctrl-C or SIGTERM: SystemExit, KeyboardInterrupt) rather than
        # by an error of its own: the job's work is unfinished, just as if the worker had died.
        from qingshen.jobs.reaper import job_declare_lost

        job_declare_lost(task_id=str(task_result.id), by="worker", reason="interrupted")
        return
    JobLease.objects.filter(pk=task_result.id, outcome=JobLease.Outcome.RUNNING).delete()


def _interrupted(task_result) -> bool:
    try:
        error = task_result.errors[-1]
        return not issubclass(error.exception_class, Exception)
    except (IndexError, ImportError, ValueError):
        return False
