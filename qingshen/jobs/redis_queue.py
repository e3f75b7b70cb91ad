"""Background jobs on Redis (QINGSHEN_TASKS_QUEUE=redis: django-tasks-rq, `manage.py rqworker`).

RQ keeps its own lease: a worker heartbeats each running job's entry in the queue's StartedJobRegistry,
and a job whose entry expired (its worker was killed, lost its machine) is abandoned. Cleaning the
registry (RQ's `clean_registries`: every worker's maintenance, the sweep, a db_worker's reaper through
`jobs_reap`) moves it to the failed jobs and calls its failure callback with AbandonedJobError, which
django-tasks-rq turns into a FAILED `task_finished`. A work horse that dies under a live worker (out of
memory) is reported the same way by `Worker` below. Either is declared lost here as on the database
queue (jobs/reaper.py): a JobLease kept LOST as the record, the loss logged, the task's `when_lost`
handler run (an import back to "ready", a check or a list's letters queued again).
"""

import contextvars
import datetime
import logging
import os
import socket
import uuid

import django_rq
from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus, task_backends
from django_tasks.signals import task_finished
from django_tasks.utils import get_module_path
from django_tasks_rq import Job, RQBackend
from redis.exceptions import RedisError
from rq import Worker as BaseWorker
from rq.exceptions import AbandonedJobError, NoSuchJobError
from rq.registry import clean_registries

from qingshen.jobs.leases import args_key
from qingshen.jobs.models import JobLease
from qingshen.jobs.reaper import WorkerLost, job_lost_record

logger = logging.getLogger(__name__)
# What a lost run's failure callback is given: RQ's for an expired registry entry, ours for a dead horse.
LOST_ERRORS = {get_module_path(AbandonedJobError): "abandoned", get_module_path(WorkerLost): "horse"}
# Who is cleaning (the sweep or a worker) and the task ids it declared lost, for `jobs_reap`.
_reaping: contextvars.ContextVar = contextvars.ContextVar("qingshen_redis_reaping", default=None)


def lease_key(task_id: str) -> uuid.UUID:
    """RQ job ids (django-tasks' random strings) are not UUIDs, which JobLease is keyed by: the same id
    always gives the same key."""
    try:
        return uuid.UUID(task_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"rq:{task_id}")


def redis_backends() -> list[RQBackend]:
    return [b for b in task_backends.all() if isinstance(b, RQBackend)]


def redis_jobs_reap(*, by: str) -> list[str]:
    """Clean the registries of every Redis queue with RQ's own maintenance (under its maintenance lock,
    so not while a worker does the same); return the task ids declared lost meanwhile."""
    lost: list[str] = []
    token = _reaping.set((by, lost))
    try:
        for backend in redis_backends():
            for queue in backend._get_queues():
                if queue.acquire_maintenance_lock():
                    try:
                        clean_registries(queue)
                    finally:
                        queue.release_maintenance_lock()
    except RedisError:  # Redis unreachable: the workers' own maintenance, or the next sweep, does it
        logger.warning("job reaper: Redis not reachable", exc_info=True)
    finally:
        _reaping.reset(token)
    return lost


def _is_redis_backend(sender) -> bool:
    backend = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend, RQBackend)


@receiver(task_finished, dispatch_uid="qingshen.jobs.redis_lost")
def redis_job_finished(sender, task_result, **kwargs):
    if not _is_redis_backend(sender) or task_result.status != TaskResultStatus.FAILED:
        return
    try:
        job = Job.fetch(task_result.id, connection=django_rq.get_connection(task_result.task.queue_name))
    except NoSuchJobError:
        return
    # django-tasks-rq keeps each failure's exception class in the job's meta.
    failures = job.meta.get("_django_tasks_rq_exceptions") or [""]
    reason = LOST_ERRORS.get(failures[-1])
    if reason is None:
        return  # the job's own error: an ordinary failure
    by, lost = _reaping.get() or ("worker", [])
    if redis_job_declare_lost(job=job, task_result=task_result, by=by, reason=reason):
        lost.append(str(task_result.id))


def redis_job_declare_lost(*, job, task_result, by: str, reason: str) -> bool:
    """Record the loss and run the task's handler, once per job (two cleaners may both see it)."""
    now = timezone.now()
    beat = job.last_heartbeat or job.started_at or now
    if timezone.is_naive(beat):
        beat = timezone.make_aware(beat, datetime.UTC)
    args, kwargs = list(task_result.args), dict(task_result.kwargs)
    try:
        with transaction.atomic():
            lease, created = JobLease.objects.get_or_create(
                task_id=lease_key(str(task_result.id)),
                defaults={
                    "task_path": task_result.task.module_path,
                    "args_key": args_key(args, kwargs),
                    "worker_id": (job.worker_name or "")[:64],
                    "host": "",
                    "started_at": job.started_at or beat,
                    "heartbeat_at": beat,
                    "outcome": JobLease.Outcome.LOST,
                    "lost_at": now,
                },
            )
            if not created:
                return False
            job_lost_record(
                lease=lease, task_id=str(task_result.id), args=args, kwargs=kwargs, by=by, reason=reason
            )
    except IntegrityError:  # the other cleaner recorded it first
        return False
    logger.warning("job %s (%s) lost: %s", task_result.id, task_result.task.module_path, reason)
    return True


class Worker(BaseWorker):
    """RQ's forking worker, which also reports a work horse that died under it (killed, out of memory)
    through the job's failure callback, as RQ does for an abandoned job; RQ alone only marks it failed.
    Results are kept QINGSHEN_RQ_RESULT_SECONDS rather than RQ's 500 s, for `get_result`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_result_ttl", settings.QINGSHEN_RQ_RESULT_SECONDS)
        super().__init__(*args, **kwargs)

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage):
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        error = WorkerLost(
            f"work horse {retpid} of worker {self.name} on {socket.gethostname()} ended ({ret_val})"
        )
        try:
            job.execute_failure_callback(self.death_penalty_class, WorkerLost, error, None)
        except Exception:
            logger.exception("job %s: lost-job handling failed (worker pid %s)", job.id, os.getpid())
