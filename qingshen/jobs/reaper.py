"""Declaring lost the jobs whose worker is gone, and putting right what they left half-done.

A job is lost when it is RUNNING and its lease's heartbeat is older than QINGSHEN_JOB_LEASE_SECONDS
(or it has no lease and started longer ago than that: its worker died before taking one), or when the
worker asking is the one that claimed it (a restarted worker with the same --worker-id: a worker runs
one job at a time, so any job still RUNNING under its id is dead). The job's result is marked FAILED
(WorkerLost), its lease kept as the record, the loss logged, and the handler its task registered with
`when_lost` puts its subject right (an import back to "ready", a mail back to "to be retried").

Run by `manage.py sweep`, by every `manage.py db_worker` at start and while it runs. Jobs on Redis
are RQ's to reap (jobs/redis_queue.py): `jobs_reap` has it clean their queues' registries too.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qingshen.jobs.leases import args_key
from qingshen.jobs.models import JobLease

logger = logging.getLogger(__name__)
_handlers: dict = {}


class WorkerLost(Exception):
    """Recorded as the failure of a job whose worker stopped while running it."""


def when_lost(task):
    """Register `handler(*args, losses=n, **kwargs)` to put right what a lost run of `task` left;
    `losses` counts this job's lost runs so far, this one included. Runs in the reaper's transaction."""

    def register(handler):
        _handlers[task.module_path] = handler
        return handler

    return register


def _handler(task_path: str):
    if task_path not in _handlers:
        try:
            import_string(task_path)  # importing the task's module registers its handler
        except ImportError:
            return None
    return _handlers.get(task_path)


def _stale_before(now) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.QINGSHEN_JOB_LEASE_SECONDS)


def jobs_reap(*, worker_id: str = "", by: str = "sweep") -> list[str]:
    """Declare lost every job whose worker is gone (see the module); return their task ids."""
    from qingshen.jobs.redis_queue import redis_jobs_reap

    lost = redis_jobs_reap(by=by)  # Redis queues: RQ's own registry cleaning (jobs/redis_queue.py)
    now = timezone.now()
    stale = _stale_before(now)
    # Leases of jobs that did finish (the worker died between recording the result and the release).
    JobLease.objects.filter(outcome=JobLease.Outcome.RUNNING, heartbeat_at__lt=stale).exclude(
        task_id__in=DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values("id")
    ).delete()
    running = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
            "id", "started_at", "worker_ids"
        )
    )
    if not running:
        return lost
    beats = dict(
        JobLease.objects.filter(task_id__in=[r[0] for r in running]).values_list("task_id", "heartbeat_at")
    )
    for task_id, started_at, worker_ids in running:
        mine = bool(worker_id) and bool(worker_ids) and worker_ids[-1] == worker_id
        beat = beats.get(task_id, started_at)
        if not (mine or (beat is not None and beat < stale)):
            continue
        if job_declare_lost(
            task_id=str(task_id), by=by, reason="own" if mine else "lease", stale_before=stale
        ):
            lost.append(str(task_id))
    return lost


def job_declare_lost(*, task_id: str, by: str, reason: str, stale_before=None) -> bool:
    """Fail the job, keep its lease as the record, log it and run its task's handler, in one
    transaction. With `stale_before`, only if its heartbeat is still older than that (rechecked under
    the row lock: a live worker may have renewed it meanwhile). Returns whether it was declared lost."""
    now = timezone.now()
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if result is None:
            return False
        interrupted = reason == "interrupted"
        if result.status != (TaskResultStatus.FAILED if interrupted else TaskResultStatus.RUNNING):
            return False
        lease = JobLease.objects.select_for_update().filter(pk=task_id).first()
        if lease is not None and lease.outcome == JobLease.Outcome.LOST:
            return False
        if stale_before is not None and reason == "lease":
            beat = lease.heartbeat_at if lease is not None else result.started_at
            if beat is None or beat >= stale_before:
                return False
        args, kwargs = result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {})
        if lease is None:
            lease = JobLease(
                task_id=result.id,
                task_path=result.task_path,
                args_key=args_key(args, kwargs),
                worker_id=(result.worker_ids or [""])[-1],
                started_at=result.started_at or now,
                heartbeat_at=result.started_at or now,
            )
        lease.outcome, lease.lost_at = JobLease.Outcome.LOST, now
        lease.save()
        if not interrupted:
            result.set_failed(
                WorkerLost(
                    f"worker {lease.worker_id or '?'} on {lease.host or '?'} (pid {lease.pid or '?'}) stopped "
                    f"while running this job; last heartbeat {lease.heartbeat_at.isoformat()}"
                )
            )
        job_lost_record(lease=lease, task_id=str(result.id), args=args, kwargs=kwargs, by=by, reason=reason)
    return True


def job_lost_record(*, lease: JobLease, task_id: str, args, kwargs, by: str, reason: str) -> None:
    """Log a job declared lost (its lease, saved LOST, is the record) and run its task's handler; in
    the caller's transaction. Shared by the database queue (above) and Redis (jobs/redis_queue.py)."""
    from qingshen.trail.services import event_record

    losses = JobLease.objects.filter(
        task_path=lease.task_path, args_key=lease.args_key, outcome=JobLease.Outcome.LOST
    ).count()
    event_record(
        action="job.lost",
        actor_name=by,
        after={
            "task": lease.task_path,
            "task_id": task_id,
            "args": args,
            "worker": lease.worker_id,
            "host": lease.host,
            "pid": lease.pid,
            "heartbeat_at": lease.heartbeat_at,
            "why": reason,
            "losses": losses,
        },
    )
    handler = _handler(lease.task_path)
    if handler is not None:
        handler(*args, losses=losses, **kwargs)


def lost_retry_allowed(losses: int) -> bool:
    """Whether a lost job that is safe to run again is run again (QINGSHEN_JOB_LOST_RETRIES)."""
    return losses <= settings.QINGSHEN_JOB_LOST_RETRIES


class Reaper(threading.Thread):
    """A worker's own reaper: every half lease, declare lost the jobs of workers that are gone."""

    def __init__(self, worker_id: str):
        super().__init__(name="job-reaper", daemon=True)
        self.worker_id = worker_id
        self._stop_event = threading.Event()

    def run(self):
        try:
            while not self._stop_event.wait(settings.QINGSHEN_JOB_LEASE_SECONDS / 2):
                try:
                    jobs_reap(by="worker")
                except DatabaseError:
                    logger.warning("job reaper: database not reachable", exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()

    def stop(self):
        self._stop_event.set()
