"""Settings of the gunicorn server bench_case_list_wrk starts: the test settings, the bench's URLs (the
project's and the admin changelists of bench/case_list_admin.py) and the bench's database."""

import os

from qingshen.settings_test import *  # noqa: F403
from qingshen.settings_test import DATABASES

ROOT_URLCONF = "bench.case_list_admin"
DATABASES["default"]["NAME"] = os.environ["BENCH_WRK_DB_NAME"]
DEBUG = False
