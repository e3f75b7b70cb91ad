"""Leases on background jobs: a job whose worker stopped is declared lost by the sweep or a restarted
worker, and what it left half-done is put right (an import committable again, a mail to be retried).

These tests create the state a killed worker leaves (the task row RUNNING, its lease's heartbeat old);
tests/jobs/test_worker_kill.py kills a real worker on PostgreSQL."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qingshen.jobs.models import JobLease
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from qingshen.trail.models import Event
from tests.jobs.conftest import DATABASE_TASKS, IMMEDIATE_TASKS

LONG_AGO = datetime.timedelta(hours=1)


def _enqueue_commit(batch, settings, capture):
    settings.TASKS = DATABASE_TASKS
    with capture(execute=True):
        import_batches.import_batch_commit_request(batch=batch, actor=batch.created_by, renames=set())
    return DBTaskResult.objects.get(task_path__endswith="import_commit_task")


def _claimed_by_a_worker_that_died(result, *, beat_age=LONG_AGO, worker="worker-a"):
    """What `db_worker` leaves when killed mid-job: the row claimed (RUNNING) and a lease that was
    renewed until the kill."""
    result.claim(worker)
    JobLease.objects.create(
        task_id=result.id,
        task_path=result.task_path,
        args_key="{}",
        worker_id=worker,
        host="web-1",
        pid=4242,
        started_at=timezone.now() - beat_age,
        heartbeat_at=timezone.now() - beat_age,
    )


def test_the_sweep_makes_a_killed_import_committable_again_and_the_page_says_so(
    world, ready_batch, settings, client_for, django_capture_on_commit_callbacks
):
    result = _enqueue_commit(ready_batch, settings, django_capture_on_commit_callbacks)
    _claimed_by_a_worker_that_died(result)
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTING
    # Today's trap: committing again is refused while the batch says "being imported".
    with pytest.raises(ProgrammeError):
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--skip-recompute", stdout=out)
    assert "background jobs declared lost (their worker stopped): 1" in out.getvalue()

    result.refresh_from_db()
    assert result.status == "FAILED" and result.exception_class_path == "qingshen.jobs.reaper.WorkerLost"
    assert "worker-a" in result.traceback
    assert JobLease.objects.get(pk=result.id).outcome == JobLease.Outcome.LOST
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.READY and ready_batch.interrupted_during == "committing"
    assert len(ready_batch.rows) == 2  # the checked rows are kept: no new upload needed
    lost = Event.objects.get(action="job.lost")
    assert lost.after["task_id"] == str(result.id) and lost.after["worker"] == "worker-a"
    assert Event.objects.filter(action="programme.import.interrupted").exists()

    client = client_for(ready_batch.created_by)
    page = client.get(reverse("import-batch", args=[ready_batch.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'id="import-interrupted"' in html and 'id="import-commit"' in html
    assert "后台" in html and "导入" in html  # said in the user's language
    page = client.get(reverse("import-batch", args=[ready_batch.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "the background worker stopped" in page.content.decode()

    settings.TASKS = IMMEDIATE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED and ready_batch.created_count == 2
    assert (
        'id="import-interrupted"'
        not in client.get(reverse("import-batch", args=[ready_batch.pk])).content.decode()
    )


def test_a_job_whose_worker_is_alive_is_left_alone(
    world, ready_batch, settings, django_capture_on_commit_callbacks
):
    result = _enqueue_commit(ready_batch, settings, django_capture_on_commit_callbacks)
    _claimed_by_a_worker_that_died(result, beat_age=datetime.timedelta(seconds=1))
    call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    result.refresh_from_db()
    ready_batch.refresh_from_db()
    assert result.status == "RUNNING" and ready_batch.status == ImportBatch.Status.COMMITTING
    assert not Event.objects.filter(action="job.lost").exists()


def test_a_restarted_worker_fails_its_own_dead_job_at_once(
    world, ready_batch, settings, django_capture_on_commit_callbacks
):
    from qingshen.jobs.reaper import jobs_reap

    result = _enqueue_commit(ready_batch, settings, django_capture_on_commit_callbacks)
    _claimed_by_a_worker_that_died(result, beat_age=datetime.timedelta(seconds=1), worker="host-1")
    assert jobs_reap(worker_id="other-host") == []  # someone else's fresh lease: alive
    assert jobs_reap(worker_id="host-1", by="worker") == [str(result.id)]
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.READY


def test_a_job_claimed_but_never_leased_is_lost_once_the_lease_would_have_run_out(
    world, ready_batch, settings, django_capture_on_commit_callbacks
):
    result = _enqueue_commit(ready_batch, settings, django_capture_on_commit_callbacks)
    result.claim("worker-a")  # killed before it took its lease
    DBTaskResult.objects.filter(pk=result.pk).update(started_at=timezone.now() - LONG_AGO)
    call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.READY


def test_a_lost_check_runs_again_once_then_is_given_up_with_a_message(
    world, draft, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.programmes import sheets

    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_batches.import_batch_create(
            programme=draft,
            kind="annual",
            upload=SimpleUploadedFile("名单.xlsx", sheets.xlsx([[1, "北区", "甲", "x", "", "双超", ""]])),
            actor=world.users["district"],
        )
    for attempt in (1, 2):
        result = DBTaskResult.objects.filter(status="READY").get(task_path__endswith="import_validate_task")
        _claimed_by_a_worker_that_died(result)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("sweep", "--skip-recompute", stdout=io.StringIO())
        batch.refresh_from_db()
        if attempt == 1:
            assert batch.status == ImportBatch.Status.QUEUED and batch.interrupted_during == "validating"
    assert batch.status == ImportBatch.Status.INVALID
    assert "2" in batch.errors[0]["problem"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_mail_lost_with_its_worker_is_counted_and_retried(
    world, settings, django_capture_on_commit_callbacks
):
    from qingshen.notifications.models import Delivery
    from qingshen.notifications.services import notification_send

    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = notification_send(addresses=["hb@example.gov.cn"], subject="通知", body="正文")
    result = DBTaskResult.objects.get(task_path__endswith="delivery_send")
    _claimed_by_a_worker_that_died(result)
    call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.RETRY and delivery.attempts == 1
    assert "worker stopped" in delivery.last_error and delivery.next_attempt_at is not None


def test_a_lost_letters_job_is_queued_again(world, settings, django_capture_on_commit_callbacks):
    from qingshen.reports.tasks import letters_issue_task

    settings.TASKS = DATABASE_TASKS
    first = letters_issue_task.enqueue(world.programme.pk, world.users["city"].pk)
    _claimed_by_a_worker_that_died(DBTaskResult.objects.get(pk=first.id))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    again = DBTaskResult.objects.filter(task_path__endswith="letters_issue_task", status="READY")
    assert again.count() == 1 and again.get().args_kwargs["args"] == [
        world.programme.pk,
        world.users["city"].pk,
    ]


def test_a_job_stopped_by_a_signal_in_the_worker_is_put_right_at_once(
    world, ready_batch, settings, django_capture_on_commit_callbacks
):
    """A second Ctrl-C or SIGTERM makes the worker raise SystemExit inside the job: the job fails, and
    the import it had started goes back to "ready" (today it stays "being imported")."""
    from django_tasks_db.management.commands.db_worker import Worker

    result = _enqueue_commit(ready_batch, settings, django_capture_on_commit_callbacks)
    result.claim("worker-a")

    def stop(sender, instance, **kwargs):
        if instance.status == ImportBatch.Status.COMMITTED:
            raise SystemExit(1)

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="worker-a",
        excluded_queue_names=[],
    )
    pre_save.connect(stop, sender=ImportBatch)
    try:
        worker.run_task(result)
    finally:
        pre_save.disconnect(stop, sender=ImportBatch)
    result.refresh_from_db()
    ready_batch.refresh_from_db()
    assert result.status == "FAILED" and result.exception_class_path == "builtins.SystemExit"
    assert ready_batch.status == ImportBatch.Status.READY and ready_batch.interrupted_during == "committing"
    assert not ready_batch.programme.listings.exists()
