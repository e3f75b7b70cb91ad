"""Settings for the test suite: the real settings with a fast hasher and throw-away media."""

import tempfile

from .settings import *  # noqa: F403
from .settings import STORAGES

# PBKDF2 costs ~280 ms a hash on these machines (environment.md); production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="qingshen-test-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Background tasks run inline in tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
