"""Run the benchmarks: every bench/bench_*.py, each in its own throw-away database.

    make bench                          # all, on SQLite
    DATABASE_URL=postgres://... make bench
    .venv/bin/python bench/run.py case_list   # one
    BENCH_LOG_EVENTS=200000 .venv/bin/python bench/run.py log log_writers   # the operation log (issue 18)
    .venv/bin/python bench/run.py pages_scale   # every page at 50k/500k/1M cases (build: bench/city_sql.py)

Each module defines `run(report)` and calls `report(name, value, unit)`; figures go to stdout and to
bench/results/latest.txt. Never part of the test suite: timings are for the issue notes.
"""

import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingshen.settings_test")
    os.environ.setdefault("QINGSHEN_VAR_DIR", tempfile.mkdtemp(prefix="qingshen-bench-"))
    import django
    from django.test.utils import get_runner  # noqa: F401

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()  # test client hosts, locmem mail
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    names = argv or sorted(p.stem.removeprefix("bench_") for p in Path(__file__).parent.glob("bench_*.py"))
    lines = [
        f"# {time.strftime('%Y-%m-%d %H:%M')} on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
    ]

    def report(name, value, unit):
        line = f"{name:<60} {value:>12.2f} {unit}"
        print(line, flush=True)
        lines.append(line)

    for name in names:
        old = setup_databases(verbosity=0, interactive=False, keepdb=False)
        try:
            print(f"== {name} ({connection.vendor})", flush=True)
            importlib.import_module(f"bench.bench_{name}").run(report)
        finally:
            teardown_databases(old, verbosity=0)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
