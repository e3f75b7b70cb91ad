"""The report pages against a city kept in a named database, to compare query plans step by step
without rebuilding it (bench_reports.py builds a throw-away one per run).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/city50k BENCH_CASES_PER_YEAR=5000 \
        .venv/bin/python bench/reports_city.py build
    DATABASE_URL=... .venv/bin/python bench/reports_city.py measure [--explain]
    .venv/bin/python bench/reports_city.py ratio city50k city500k

`build` migrates the (empty) database and generates the city of bench_reports; `measure` prints the
uncached dashboard's and the summary page's median time and query count (and keeps them in
bench/results/reports_city-<database>.json); `ratio` prints two kept measurements side by side.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
RESULTS = Path(__file__).resolve().parent / "results"


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
    cases = AuditCase.objects.count()
    print(f"{cases} cases", flush=True)
    kept = {"cases": cases}
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
            kept[label] = (statistics.median(samples), len(count))
            if explain:
                _explained(url, client)
    # What a case save pays for the counts: its cell rewritten (a transition), and with its reviews'
    # counts when it moved (programme, district, listing). Skipped on a database of the old schema.
    try:
        from qingshen.cases.counts import case_counts_refresh
    except ImportError:
        case_counts_refresh = None
    case = AuditCase.objects.filter(programme=programme).first()
    for label, moved in (("counts rewrite: transition", False), ("counts rewrite: case moved", True)):
        if case_counts_refresh is None:
            break
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            case_counts_refresh(
                programme_id=case.programme_id,
                jurisdiction_id=case.jurisdiction_id,
                case_kind=case.kind,
                moved=moved,
            )
            samples.append((time.perf_counter() - t) * 1000)
        print(f"{label:<30} {statistics.median(samples):>9.1f} ms", flush=True)
        kept[label] = (statistics.median(samples), 0)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"reports_city-{connection.settings_dict['NAME']}.json").write_text(json.dumps(kept))


def ratio(small: str, large: str):
    a, b = (json.loads((RESULTS / f"reports_city-{name}.json").read_text()) for name in (small, large))
    print(f"{'':<30} {a['cases']:>10} {b['cases']:>10} cases   ratio")
    for label in a:
        if label != "cases" and label in b:
            print(
                f"{label:<30} {a[label][0]:>7.1f} ms {b[label][0]:>7.1f} ms   {b[label][0] / a[label][0]:.2f}x",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1] == "ratio":
        ratio(sys.argv[2], sys.argv[3])
        sys.exit()
    _setup()
    if sys.argv[1] == "build":
        build()
    else:
        measure(explain="--explain" in sys.argv)
