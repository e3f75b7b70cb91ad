"""Settings of the gunicorn server bench_case_list_wrk starts: the test settings, the bench's URLs (the
project's and the admin changelists of bench/case_list_admin.py), the bench's database and production's
persistent connections."""

import os

from qingshen.settings_test import *  # noqa: F403
from qingshen.settings_test import DATABASES, QINGSHEN_CONN_MAX_AGE

ROOT_URLCONF = "bench.case_list_admin"
DATABASES["default"]["NAME"] = os.environ["BENCH_WRK_DB_NAME"]
# A server keeps its connections as production does (the test settings close them after each request).
DATABASES["default"]["CONN_MAX_AGE"] = QINGSHEN_CONN_MAX_AGE
DEBUG = False
