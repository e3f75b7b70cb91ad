"""The settings switch: without the variables a node is configured exactly as one machine was; with
DATABASE_REPLICA_URL, REDIS_URL and QINGSHEN_S3_* it uses the replica, Redis and the bucket, and with
QINGSHEN_TASKS_QUEUE=redis its background jobs go to Redis (refused without REDIS_URL)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
print(json.dumps({
    "databases": {k: [v["ENGINE"], v["NAME"], v.get("TEST", {}).get("MIRROR")] for k, v in settings.DATABASES.items()},
    "replica": settings.QINGSHEN_READ_REPLICA,
    "routers": settings.DATABASE_ROUTERS,
    "cache": [settings.CACHES["default"]["BACKEND"], settings.CACHES["default"].get("LOCATION", ""),
              settings.CACHES["default"].get("KEY_PREFIX", "")],
    "session": settings.SESSION_ENGINE,
    "storage": type(storages["default"]).__name__,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "rq_queues": getattr(settings, "RQ_QUEUES", None),
    "rq": getattr(settings, "RQ", None),
    "django_rq": "django_rq" in settings.INSTALLED_APPS,
    "log_link": settings.QINGSHEN_LOG_LINK,
    "connections": {k: [v["CONN_MAX_AGE"], v["CONN_HEALTH_CHECKS"]] for k, v in settings.DATABASES.items()},
    "storage_options": {k: v for k, v in settings.STORAGES["default"].get("OPTIONS", {}).items()
                        if k in ("bucket_name", "endpoint_url", "location", "addressing_style", "file_overwrite")},
}))
"""
VARIABLES = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "QINGSHEN_CACHE_PREFIX",
    "QINGSHEN_S3_BUCKET",
    "QINGSHEN_S3_ENDPOINT_URL",
    "QINGSHEN_S3_PREFIX",
    "QINGSHEN_TASKS_QUEUE",
    "QINGSHEN_TASKS_BACKEND",
    "QINGSHEN_LOG_LINK",
    "CONN_MAX_AGE",
)


def _probe(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    clean.update(
        DJANGO_SETTINGS_MODULE="qingshen.settings", QINGSHEN_VAR_DIR=str(tmp_path), SECRET_KEY="probe"
    )
    return subprocess.run(  # noqa: S603  (our own interpreter and probe)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _settings(tmp_path, **env) -> dict:
    out = _probe(tmp_path, **env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_the_variables_a_node_is_one_machine(tmp_path):
    got = _settings(tmp_path)
    assert got["databases"] == {
        "default": ["django.db.backends.sqlite3", str(tmp_path / "qingshen.sqlite3"), None]
    }
    assert got["replica"] == ""
    assert got["cache"][0] == "django.core.cache.backends.locmem.LocMemCache"
    assert got["session"] == "django.contrib.sessions.backends.db"
    assert got["storage"] == "FileSystemStorage"
    assert got["tasks"] == "django_tasks_db.DatabaseBackend" and got["rq_queues"] is None
    assert not got["django_rq"]


def test_the_variables_switch_on_the_replica_redis_and_the_bucket(tmp_path):
    got = _settings(
        tmp_path,
        DATABASE_URL="postgres://app@db-primary:5432/qingshen",
        DATABASE_REPLICA_URL="postgres://reader@db-replica:5432/qingshen",
        REDIS_URL="redis://cache:6379/2",
        QINGSHEN_CACHE_PREFIX="qs-prod",
        QINGSHEN_S3_BUCKET="qingshen-docs",
        QINGSHEN_S3_ENDPOINT_URL="https://s3.bureau.example",
        QINGSHEN_S3_PREFIX="/city/",
    )
    assert got["databases"] == {
        "default": ["django.db.backends.postgresql", "qingshen", None],
        "replica": ["django.db.backends.postgresql", "qingshen", "default"],
    }
    assert got["replica"] == "replica"
    assert got["routers"] == ["qingshen.core.dbrouter.ReplicaRouter"]
    assert got["cache"] == ["django.core.cache.backends.redis.RedisCache", "redis://cache:6379/2", "qs-prod"]
    assert got["session"] == "django.contrib.sessions.backends.cached_db"
    assert got["storage"] == "PrivateS3Storage"
    assert got["storage_options"] == {
        "bucket_name": "qingshen-docs",
        "endpoint_url": "https://s3.bureau.example",
        "location": "city",
        "addressing_style": "path",
        "file_overwrite": True,
    }


def test_redis_alone_keeps_the_jobs_on_the_database_queue(tmp_path):
    got = _settings(tmp_path, REDIS_URL="redis://cache:6379/2")
    assert got["tasks"] == "django_tasks_db.DatabaseBackend" and got["rq_queues"] is None


def test_the_redis_queue_switch_puts_the_jobs_on_redis(tmp_path):
    got = _settings(tmp_path, REDIS_URL="redis://cache:6379/2", QINGSHEN_TASKS_QUEUE="redis")
    assert got["tasks"] == "django_tasks_rq.RQBackend"
    assert got["rq_queues"] == {"default": {"URL": "redis://cache:6379/2", "DEFAULT_TIMEOUT": 3600}}
    assert got["rq"] == {
        "JOB_CLASS": "django_tasks_rq.Job",
        "WORKER_CLASS": "qingshen.jobs.redis_queue.Worker",
    }
    assert got["django_rq"]  # its rqworker command
    assert _settings(tmp_path, QINGSHEN_TASKS_QUEUE="database")["tasks"] == "django_tasks_db.DatabaseBackend"


def test_the_redis_queue_without_redis_refuses_to_start(tmp_path):
    out = _probe(tmp_path, QINGSHEN_TASKS_QUEUE="redis")
    assert out.returncode != 0
    assert "ImproperlyConfigured: QINGSHEN_TASKS_QUEUE=redis needs REDIS_URL" in out.stderr
    out = _probe(tmp_path, QINGSHEN_TASKS_QUEUE="kafka", REDIS_URL="redis://cache:6379/2")
    assert out.returncode != 0 and "must be 'database' or 'redis'" in out.stderr


def test_the_log_is_linked_at_commit_on_postgresql_and_inline_on_sqlite(tmp_path):
    """On PostgreSQL concurrent writers would queue on the chain's lock; SQLite has one writer anyway."""
    assert _settings(tmp_path)["log_link"] == "inline"
    on_pg = _settings(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/probe")
    assert on_pg["log_link"] == "commit"
    assert _settings(tmp_path, QINGSHEN_LOG_LINK="commit")["log_link"] == "commit"


def test_connections_are_kept_between_requests_on_postgresql(tmp_path):
    """A new PostgreSQL connection per request costs more than a light page's queries; SQLite's do not."""
    assert _settings(tmp_path)["connections"] == {"default": [0, True]}
    pg = {"DATABASE_URL": "postgres://app@db-primary:5432/qingshen"}
    replica = {"DATABASE_REPLICA_URL": "postgres://reader@db-replica:5432/qingshen"}
    assert _settings(tmp_path, **pg, **replica)["connections"] == {"default": [60, True], "replica": [60, True]}
    assert _settings(tmp_path, **pg, CONN_MAX_AGE="0")["connections"] == {"default": [0, True]}
