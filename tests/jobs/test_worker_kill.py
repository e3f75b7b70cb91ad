"""A real `manage.py db_worker` killed with SIGKILL in the middle of an import (PostgreSQL: the job is
held mid-transaction by a row lock the test takes, so the kill lands inside the job, not before or
after it). Then a restarted worker, or the sweep, declares the job lost: the batch is committable
again, without a new upload, and its page says what happened."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from qingshen.jobs.models import JobLease
from qingshen.programmes.imports import batches as import_batches
from qingshen.programmes.models import ImportBatch
from tests.jobs.conftest import DATABASE_TASKS

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = "2"  # the worker under test beats every half second
PATIENCE = 120  # seconds to wait for something that should happen (never an assertion on time)


def _url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def _worker_env(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "DATABASE_URL": _url(),
        "QINGSHEN_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": settings.SECRET_KEY,
        "QINGSHEN_DATA_KEY": settings.QINGSHEN_DATA_KEY,
        "QINGSHEN_JOB_LEASE_SECONDS": LEASE_SECONDS,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("QINGSHEN_TASKS_BACKEND", None)
    return env


def _worker(tmp_path, *extra):
    args = ["manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", *extra]
    return subprocess.Popen(  # noqa: S603 (the test's own arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=_worker_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for(what, check):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


def _blocked_backends(admin) -> list[int]:
    rows = admin.execute(
        "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
    ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: a second process must see the test's data and block on its row lock")


@pytest.mark.parametrize("recovery", ["restarted worker", "sweep"])
def test_kill_9_during_an_import_then_the_batch_is_committable_again(
    postgresql, world, ready_batch, settings, tmp_path, client_for, recovery
):
    settings.TASKS = DATABASE_TASKS
    admin = psycopg.connect(_url().replace("postgres://", "postgresql://"), autocommit=True)
    holder = psycopg.connect(_url().replace("postgres://", "postgresql://"))
    worker = None
    try:
        # Hold the programme row: the import job locks it first thing inside its transaction.
        holder.execute(
            "select 1 from programmes_programme where id = %s for update", [ready_batch.programme_id]
        )
        import_batches.import_batch_commit_request(
            batch=ready_batch, actor=ready_batch.created_by, renames=set()
        )
        result = DBTaskResult.objects.get(task_path__endswith="import_commit_task")

        worker = _worker(tmp_path, "--worker-id", "kill-test")
        lease = _wait_for(
            "the worker to take its lease", lambda: JobLease.objects.filter(pk=result.id).first()
        )
        _wait_for("the job to block inside its transaction", lambda: _blocked_backends(admin))
        # The heartbeat goes on while the job's own thread waits.
        _wait_for(
            "a heartbeat",
            lambda: JobLease.objects.get(pk=result.id).heartbeat_at > lease.heartbeat_at,
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        for pid in _blocked_backends(admin):  # the server notices its client is gone
            admin.execute("select pg_terminate_backend(%s)", [pid])
    finally:
        holder.rollback()
        holder.close()
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()

    # The state of the report: the task row RUNNING, the batch "being imported", a commit refused.
    result.refresh_from_db()
    ready_batch.refresh_from_db()
    assert result.status == "RUNNING" and ready_batch.status == ImportBatch.Status.COMMITTING
    assert not ready_batch.programme.listings.exists()  # the killed transaction wrote nothing

    if recovery == "restarted worker":
        again = _worker(tmp_path, "--worker-id", "kill-test", "--batch")
        out, _ = again.communicate(timeout=PATIENCE)
        assert again.returncode == 0, out
        assert "jobs declared lost (their worker stopped): 1" in out
    else:
        settings.QINGSHEN_JOB_LEASE_SECONDS = float(LEASE_SECONDS)
        _wait_for(
            "the sweep to find the lease run out",
            lambda: (
                call_command("sweep", "--skip-recompute", stdout=open(os.devnull, "w")) is None  # noqa: SIM115
                and DBTaskResult.objects.get(pk=result.id).status == "FAILED"
            ),
        )

    result.refresh_from_db()
    ready_batch.refresh_from_db()
    assert result.status == "FAILED" and result.exception_class_path == "qingshen.jobs.reaper.WorkerLost"
    assert ready_batch.status == ImportBatch.Status.READY and ready_batch.interrupted_during == "committing"
    page = client_for(ready_batch.created_by).get(reverse("import-batch", args=[ready_batch.pk]))
    html = page.content.decode()
    assert 'id="import-interrupted"' in html and "后台进程已停止" in html and 'id="import-commit"' in html

    # Committed again from the same checked rows, by a real worker.
    import_batches.import_batch_commit_request(batch=ready_batch, actor=ready_batch.created_by, renames=set())
    run = _worker(tmp_path, "--batch")
    out, _ = run.communicate(timeout=PATIENCE)
    assert run.returncode == 0, out
    ready_batch.refresh_from_db()
    assert ready_batch.status == ImportBatch.Status.COMMITTED and ready_batch.programme.listings.count() == 2
    assert not JobLease.objects.filter(outcome=JobLease.Outcome.RUNNING).exists()
