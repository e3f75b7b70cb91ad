"""The report pages against a city kept in a named database, to compare query plans step by step
without rebuilding it (bench_reports.py builds a throw-away one per run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k BENCH_CASES_PER_YEAR=5000 \
        .venv/bin/python bench/reports_city.py build
    DATABASE_URL=... .venv/bin/python bench/reports_city.py measure [--explain]

`build` migrates the (empty) database and generates the city of bench_reports; `measure` prints the
uncached dashboard's and the summary page's median time and query count.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingshen.settings_test")
    os.environ.setdefault("QINGSHEN_VAR_DIR", tempfile.mkdtemp(prefix="qingshen-bench-"))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def build():
    from django.core.management import call_command

    from bench import bench_reports

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    bench_reports._city()
    print(f"built in {time.perf_counter() - t:.0f} s", flush=True)


def _explained(url, client):
    from django.db import connection

    plans = []

    def explain(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT") and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                lines = [r[0] for r in cursor.fetchall()]
            ms = float(lines[-1].split(":")[1].split()[0])
            plans.append((ms, sql, lines))
        return result

    with connection.execute_wrapper(explain):
        client.get(url)
    for ms, sql, lines in sorted(plans, key=lambda p: -p[0])[:4]:
        print(f"--- {ms:.1f} ms\n{sql[:600]}\n" + "\n".join(lines), flush=True)


def measure(explain=False):
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from qingshen.accounts.models import User
    from qingshen.cases.models import AuditCase
    from qingshen.programmes.models import Programme

    user = User.objects.get(username="city")
    programme = Programme.objects.order_by("-year").first()
    client = Client()
    client.force_login(user)
    print(f"{AuditCase.objects.count()} cases", flush=True)
    pages = [
        ("dashboard, not cached", reverse("dashboard")),
        ("summary page", reverse("summary-page", args=[programme.pk])),
    ]
    with override_settings(QINGSHEN_DASHBOARD_CACHE_SECONDS=0):
        for label, url in pages:
            count: list[int] = []

            def counter(execute, *args, count=count):
                count.append(1)
                return execute(*args)

            with connection.execute_wrapper(counter):
                assert client.get(url).status_code == 200
            samples = []
            for _ in range(5):
                t = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - t) * 1000)
            print(f"{label:<30} {statistics.median(samples):>9.1f} ms  {len(count)} queries", flush=True)
            if explain:
                _explained(url, client)


if __name__ == "__main__":
    _setup()
    if sys.argv[1] == "build":
        build()
    else:
        measure(explain="--explain" in sys.argv)
