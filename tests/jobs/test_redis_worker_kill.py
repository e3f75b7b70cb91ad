"""A real `manage.py rqworker` (QINGSHEN_TASKS_QUEUE=redis) killed with SIGKILL, work horse and all, in
the middle of an import (PostgreSQL: the job is held mid-transaction by a row lock the test takes). Once
RQ's heartbeat on the job has run out, the sweep's reaper finds it abandoned and declares it lost: the
batch is committable again, and a worker imports it."""

import datetime
import os
import signal
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus

from qingshen.jobs.models import JobLease
from qingshen.jobs.reaper import jobs_reap
from qingshen.jobs.redis_queue import lease_key
from qingshen.programmes import tasks as programme_tasks
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from qingshen.trail.models import Event
from tests.jobs.test_worker_kill import PATIENCE, ROOT, _blocked_backends, _url, _wait_for
from tests.multinode.servers import REDIS_URL

pytestmark = pytest.mark.django_db(transaction=True)
# `manage.py rqworker` on the test's own queue: the node's settings plus that queue.
WORKER = """
import sys, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django_tasks import task_backends
name = sys.argv[1]
settings.RQ_QUEUES[name] = settings.RQ_QUEUES["default"]
task_backends["default"].queues.add(name)
call_command("rqworker", name, "--name", f"{name}-{sys.argv[2]}", *sys.argv[3:])
"""


def _rqworker(tmp_path, queue: str, node: str, *extra) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "DATABASE_URL": _url(),
        "QINGSHEN_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": settings.SECRET_KEY,
        "QINGSHEN_DATA_KEY": settings.QINGSHEN_DATA_KEY,
        "QINGSHEN_TASKS_QUEUE": "redis",
        "REDIS_URL": REDIS_URL,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("QINGSHEN_TASKS_BACKEND", None)
    return subprocess.Popen(  # noqa: S603 (the test's own arguments)
        [sys.executable, "-c", WORKER, queue, node, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        return [int(p) for p in f.read().split()]


@pytest.fixture
def postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: the worker process must see the test's data and block on its row lock")


def test_kill_9_of_an_rqworker_during_an_import_then_the_sweep_puts_it_right(
    postgresql, world, ready_batch, redis_queue, tmp_path, time_machine
):
    admin = psycopg.connect(_url().replace("postgres://", "postgresql://"), autocommit=True)
    holder = psycopg.connect(_url().replace("postgres://", "postgresql://"))
    worker = None
    try:
        holder.execute(
            "select 1 from programmes_programme where id = %s for update", [ready_batch.programme_id]
        )
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )
        (task_id,) = redis_queue.enqueued
        worker = _rqworker(tmp_path, redis_queue.name, "node-1")
        started = redis_queue.queue().started_job_registry
        _wait_for(
            "the worker to start the job",
            lambda: task_id in started.get_job_ids(cleanup=False) or worker.poll() is not None,
        )
        assert worker.poll() is None, worker.stdout.read()
        _wait_for("the job to block inside its transaction", lambda: _blocked_backends(admin))
        # The machine is lost: worker and work horse (in a session of its own) die together, the
        # worker frozen first so that it cannot report the horse's death.
        os.kill(worker.pid, signal.SIGSTOP)
        for horse in _children(worker.pid):
            os.kill(horse, signal.SIGKILL)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        for pid in _blocked_backends(admin):  # the server notices its client is gone
            admin.execute("select pg_terminate_backend(%s)", [pid])
    finally:
        holder.rollback()
        holder.close()
        admin.close()
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()

    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTING
    assert programme_tasks.import_commit_task.get_result(task_id).status == TaskResultStatus.RUNNING
    assert jobs_reap() == []  # RQ's heartbeat on it has not run out yet

    time_machine.move_to(timezone.now() + datetime.timedelta(days=1), tick=True)
    assert jobs_reap() == [task_id]
    assert programme_tasks.import_commit_task.get_result(task_id).status == TaskResultStatus.FAILED
    assert JobLease.objects.get(pk=lease_key(task_id)).worker_id == f"{redis_queue.name}-node-1"
    assert Event.objects.get(action="job.lost").after["why"] == "abandoned"
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.READY and ready_batch.interrupted_during == "committing"
    assert not ready_batch.programme.listings.exists()  # the killed transaction wrote nothing

    # Committed again from the same checked rows, by a real worker.
    import_batches.import_batch_commit_request(batch=ready_batch, actor=ready_batch.created_by, renames=set())
    run = _rqworker(tmp_path, redis_queue.name, "node-2", "--burst")
    out, _ = run.communicate(timeout=PATIENCE)
    assert run.returncode == 0, out
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED, out
    assert ready_batch.programme.listings.count() == 2
