"""Settings for running several app nodes: a read replica, a shared cache and session store, and
documents in S3-compatible object storage. Each is off unless its variable is set (README
"Several machines"); without them a node keeps everything as a single machine does (SQLite or the one
DATABASE_URL, the local memory cache, sessions in the database, files under MEDIA_ROOT).
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from qingshen.core.env import env_bool, env_int, env_str

# The alias the router sends report and dashboard reads to (core/dbrouter.py).
REPLICA_ALIAS = "replica"


def connection_max_age() -> int:
    """CONN_MAX_AGE, by default 60 s on PostgreSQL: opening a connection costs the server a new backend
    and each first query a cold catalogue, more than a light page's own queries. 0 on SQLite, which
    opens a file, and whose development server's threads would leave their connections behind."""
    postgres = env_str("DATABASE_URL", "").startswith(("postgres", "postgis"))
    return env_int("CONN_MAX_AGE", 60 if postgres else 0)


def replica_database(conn_max_age: int) -> dict | None:
    """The read replica's DATABASES entry from DATABASE_REPLICA_URL, or None. Tests use the primary's
    test database for it (MIRROR): a replica has no schema or data of its own."""
    url = env_str("DATABASE_REPLICA_URL", "")
    if not url:
        return None
    entry = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    entry["TEST"] = {"MIRROR": "default"}
    return entry


def redis_caches(url: str) -> dict:
    """The default cache in Redis, shared by every node; keys under QINGSHEN_CACHE_PREFIX so that
    several installations may share one Redis."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": env_str("QINGSHEN_CACHE_PREFIX", "qingshen"),
        }
    }


def tasks_queue(redis_url: str) -> dict:
    """TASKS (and for Redis RQ_QUEUES and RQ) from QINGSHEN_TASKS_QUEUE: `database` (the default,
    django-tasks-db, `manage.py db_worker`) or `redis` (django-tasks-rq on REDIS_URL, `manage.py rqworker`).
    QINGSHEN_TASKS_BACKEND still names another backend outright (a test's immediate one)."""
    queue = env_str("QINGSHEN_TASKS_QUEUE", "database").strip().lower()
    if queue == "database":
        backend = env_str("QINGSHEN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        return {"TASKS": {"default": {"BACKEND": backend, "QUEUES": ["default"]}}}
    if queue != "redis":
        raise ImproperlyConfigured(f"QINGSHEN_TASKS_QUEUE must be 'database' or 'redis', not {queue!r}")
    if not redis_url:
        raise ImproperlyConfigured(
            "QINGSHEN_TASKS_QUEUE=redis needs REDIS_URL (the Redis that holds the job queue); "
            "set it, or leave QINGSHEN_TASKS_QUEUE unset for the database queue"
        )
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        # A job running longer than this is stopped by its worker (RQ has no unlimited default that
        # its own monitoring accepts); an import of the largest list takes minutes, so an hour is ample.
        "RQ_QUEUES": {
            "default": {"URL": redis_url, "DEFAULT_TIMEOUT": env_int("QINGSHEN_RQ_JOB_TIMEOUT_SECONDS", 3600)}
        },
        # `manage.py rqworker` runs django-tasks' jobs (their class) with the worker that also puts
        # right what a job killed under it left half-done (jobs/redis_queue.py).
        "RQ": {"JOB_CLASS": "django_tasks_rq.Job", "WORKER_CLASS": "qingshen.jobs.redis_queue.Worker"},
    }


def s3_storage() -> dict | None:
    """The documents' storage in an S3-compatible bucket from QINGSHEN_S3_*, or None (local disk)."""
    bucket = env_str("QINGSHEN_S3_BUCKET", "")
    if not bucket:
        return None
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("QINGSHEN_S3_ENDPOINT_URL", "") or None,
        "access_key": env_str("QINGSHEN_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("QINGSHEN_S3_SECRET_ACCESS_KEY", "") or None,
        "region_name": env_str("QINGSHEN_S3_REGION", "") or None,
        # A key prefix inside the bucket, so that one bucket may serve several installations.
        "location": env_str("QINGSHEN_S3_PREFIX", "").strip("/"),
        # Path-style (http://host/bucket/key) is what MinIO, SeaweedFS and Ceph accept without DNS set-up.
        "addressing_style": env_str("QINGSHEN_S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        # Final names are content digests, staged names random (files/staging.py): a write to an
        # existing name writes the same bytes, so no "name_1" alternatives are looked for.
        "file_overwrite": True,
        # Objects stay private (the bucket's policy); nothing is ever served from the bucket directly.
        "default_acl": None,
        "querystring_auth": True,
        # Reading a file (a check, a backup) spools it to disk beyond this, never all into memory.
        "max_memory_size": env_int("QINGSHEN_S3_MAX_MEMORY_BYTES", 8 * 1024 * 1024),
        "verify": env_str("QINGSHEN_S3_CA_BUNDLE", "") or env_bool("QINGSHEN_S3_VERIFY", True),
    }
    return {"BACKEND": "qingshen.core.files.s3.PrivateS3Storage", "OPTIONS": options}
