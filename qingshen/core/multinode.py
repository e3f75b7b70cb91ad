"""Settings for running several app nodes: a read replica, a shared cache and session store, and
documents in S3-compatible object storage. Each is off unless its variable is set (README
"Several machines"); without them a node keeps everything as a single machine does (SQLite or the one
DATABASE_URL, the local memory cache, sessions in the database, files under MEDIA_ROOT).
"""

import dj_database_url

from qingshen.core.env import env_bool, env_int, env_str

# The alias the router sends report and dashboard reads to (core/dbrouter.py).
REPLICA_ALIAS = "replica"


def replica_database(conn_max_age: int) -> dict | None:
    """The read replica's DATABASES entry from DATABASE_REPLICA_URL, or None. Tests use the primary's
    test database for it (MIRROR): a replica has no schema or data of its own."""
    url = env_str("DATABASE_REPLICA_URL", "")
    if not url:
        return None
    entry = dj_database_url.parse(url, conn_max_age=conn_max_age)
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
