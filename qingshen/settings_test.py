"""Settings for the test suite: the real settings with a fast hasher and throw-away media."""

import tempfile
from pathlib import Path

from qingshen.settings import *  # noqa: F403
from qingshen.settings import DATABASES, SECRET_KEY, STORAGES

# A fresh clone has no var/secret_key (manage.py writes it on first start); tests need none of their own.
SECRET_KEY = SECRET_KEY or "tests-only-not-a-secret"

# PBKDF2 costs ~280 ms a hash on these machines (environment.md); production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="qingshen-test-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Background tasks run inline in tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The test runner empties the database after each transactional test, the append-only log with it.
QINGSHEN_LOG_FLUSH_ALLOWED = True
# A test's transaction never commits, so events are linked in it (tests/trail/test_link_at_commit.py runs
# the production mode, "commit", in transactional tests).
QINGSHEN_LOG_LINK = "inline"
# Checkpoint lines of throw-away databases stay out of var/ (tests/conftest.py gives each test its own).
QINGSHEN_LOG_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="qingshen-test-log-")) / "log-checkpoints.jsonl"
# Each test's threads and live servers open connections of their own: closed after each request, none
# outlives the test database (production keeps them: settings.QINGSHEN_CONN_MAX_AGE).
for _alias in DATABASES:
    DATABASES[_alias]["CONN_MAX_AGE"] = 0
