"""Background jobs on Redis (QINGSHEN_TASKS_QUEUE=redis): a list import queued through django-tasks is
run by an RQ worker, its result read through django-tasks, and a job whose worker died mid-run is
declared lost by the reaper (RQ's registry cleaning) and queued again.

Against the real Redis (QINGSHEN_TEST_REDIS_URL, else 127.0.0.1:6379/0), each test on a queue of its own
whose keys it removes; the worker is RQ's SimpleWorker in burst mode, in this process (it sees the test
database), but for the test that kills a forking worker's horse. tests/jobs/test_redis_worker_kill.py
kills a real `manage.py rqworker` on PostgreSQL."""

import datetime
import os
import signal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from qingshen.demo.world import make_uscc
from qingshen.jobs.models import JobLease
from qingshen.programmes import tasks as programme_tasks
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from qingshen.trail.models import Event
from tests.programmes import sheets


def test_an_import_queued_on_redis_is_run_by_an_rq_worker(
    world, ready_batch, redis_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )
    (task_id,) = redis_queue.enqueued
    assert redis_queue.queue().job_ids == [task_id]  # on Redis, not on the database queue
    assert not DBTaskResult.objects.exists()
    queued = programme_tasks.import_commit_task.get_result(task_id)
    assert queued.status == TaskResultStatus.READY and queued.args == [ready_batch.pk, []]

    redis_queue.work()

    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED and ready_batch.created_count == 2
    done = programme_tasks.import_commit_task.get_result(task_id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == ImportBatch.Status.COMMITTED
    assert done.worker_ids == [f"{redis_queue.name}-w"]
    assert not JobLease.objects.exists()  # RQ keeps the running job's lease, in its registry


def _taken_by_a_worker_that_then_died(redis_queue, task_id):
    """What an RQ worker killed mid-job leaves: the job taken off the queue and in the queue's
    StartedJobRegistry, with a heartbeat that is never renewed. Done with RQ's own steps."""
    dead = redis_queue.worker("dead")
    job, _queue = dead.dequeue_job_and_maintain_ttl(timeout=1)
    assert job.id == task_id
    dead.prepare_execution(job)
    dead.prepare_job_execution(job, remove_from_intermediate_queue=True)
    assert task_id in redis_queue.queue().started_job_registry.get_job_ids()
    assert programme_tasks.import_validate_task.get_result(task_id).status == TaskResultStatus.RUNNING


def test_a_check_left_started_by_a_dead_rq_worker_is_queued_again_by_the_reaper(
    world, draft, redis_queue, django_capture_on_commit_callbacks, time_machine
):
    from qingshen.jobs.reaper import jobs_reap
    from qingshen.jobs.redis_queue import lease_key

    rows = [[1, "北区", "新企业", make_uscc("500112", 515150), "", "双超", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batches.import_batch_create(
            programme=draft,
            kind="annual",
            upload=SimpleUploadedFile("名单.xlsx", sheets.xlsx(rows)),
            actor=world.users["district"],
        )
    (first,) = redis_queue.enqueued
    _taken_by_a_worker_that_then_died(redis_queue, first)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)

    assert jobs_reap() == []  # its heartbeat has not run out yet: the worker may be alive
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALIDATING

    # Past the heartbeat's expiry (the job's timeout and a minute: RQ's own figure).
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1), tick=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_reap() == [first]
    assert jobs_reap() == []  # once

    lost = programme_tasks.import_validate_task.get_result(first)
    assert lost.status == TaskResultStatus.FAILED
    assert first in redis_queue.queue().failed_job_registry.get_job_ids()
    lease = JobLease.objects.get(pk=lease_key(first))
    assert lease.outcome == JobLease.Outcome.LOST and lease.worker_id == f"{redis_queue.name}-dead"
    event = Event.objects.get(action="job.lost")
    assert event.after["task_id"] == first and event.after["why"] == "abandoned"
    assert event.after["losses"] == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED and batch.interrupted_during == "validating"

    # The check was queued again on Redis, and a live worker runs it.
    (again,) = redis_queue.enqueued[1:]
    assert redis_queue.queue().job_ids == [again]
    redis_queue.work()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert programme_tasks.import_validate_task.get_result(again).status == TaskResultStatus.SUCCESSFUL


def test_an_ordinary_failure_on_redis_is_not_a_lost_job(
    world, ready_batch, redis_queue, django_capture_on_commit_callbacks, monkeypatch
):
    from qingshen.programmes.imports import commit

    def broken(**kwargs):
        raise RuntimeError("a bug in the job")

    monkeypatch.setattr(commit, "import_batch_commit", broken)
    with django_capture_on_commit_callbacks(execute=True):
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )
    (task_id,) = redis_queue.enqueued
    redis_queue.work()
    result = programme_tasks.import_commit_task.get_result(task_id)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[-1].exception_class is RuntimeError
    assert not Event.objects.filter(action="job.lost").exists() and not JobLease.objects.exists()


def test_a_work_horse_killed_under_its_worker_is_declared_lost_at_once(
    world, draft, redis_queue, django_capture_on_commit_callbacks, monkeypatch
):
    """The project's worker class (forking, as `manage.py rqworker` runs it): the job's process is
    killed (out of memory, kill -9) while the worker lives on. RQ alone would only mark it failed."""
    from qingshen.jobs.redis_queue import Worker
    from qingshen.programmes.imports import validate

    rows = [[1, "北区", "新企业", make_uscc("500112", 515151), "", "双超", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batches.import_batch_create(
            programme=draft,
            kind="annual",
            upload=SimpleUploadedFile("名单.xlsx", sheets.xlsx(rows)),
            actor=world.users["district"],
        )
    (first,) = redis_queue.enqueued

    def killed(**kwargs):  # runs in the forked work horse only
        os.kill(os.getpid(), signal.SIGKILL)

    # Its results outlive RQ's 500 s default (get_result a week later).
    assert redis_queue.worker(worker_class=Worker).default_result_ttl == 7 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(validate, "import_batch_validate", killed)
        with django_capture_on_commit_callbacks(execute=True):
            redis_queue.work(worker_class=Worker)

    assert programme_tasks.import_validate_task.get_result(first).status == TaskResultStatus.FAILED
    event = Event.objects.get(action="job.lost")
    assert event.after["task_id"] == first and event.after["why"] == "horse"
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED and batch.interrupted_during == "validating"
    (again,) = redis_queue.enqueued[1:]
    redis_queue.work()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY, batch.errors
    assert programme_tasks.import_validate_task.get_result(again).status == TaskResultStatus.SUCCESSFUL
