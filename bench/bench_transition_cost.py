"""What one case transition costs: processor ms of its writer (this process) and of its PostgreSQL
backend (read from /proc, where the database runs on this machine), wall ms and SQL statements per
`disclose` (the step bench_log_writers times with 8 writers on 2 cores, where both processors' shares
bound the rate), in each way of linking the log, one writer. BENCH_TX_PROFILE=1 also prints cProfile's
top functions (processor time) of the commit mode's run; BENCH_TX_SQL=1 one transition's statements.

    BENCH_TX_CASES=300 DATABASE_URL=postgres://... .venv/bin/python bench/run.py transition_cost
"""

import cProfile
import io
import os
import pstats
import time
from pathlib import Path

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

CASES = int(os.environ.get("BENCH_TX_CASES", "300"))
PROFILE = os.environ.get("BENCH_TX_PROFILE", "") == "1"
MODES = ("inline", "commit")


def _run(work, owners):
    from qingshen.cases import services

    for pk, owner in work:
        services.case_transition(case_id=pk, actor=owners[owner], action="disclose")


def _backend_cpu() -> float | None:
    """Seconds of processor the connection's PostgreSQL backend has used, None if it cannot be read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run(report):
    from bench.bench_log_writers import _ready_cases
    from qingshen.accounts.models import User

    ready = _ready_cases(len(MODES) * CASES)
    owners = User.objects.in_bulk([owner for _pk, owner in ready])
    for i, mode in enumerate(MODES):
        work = ready[i * CASES : (i + 1) * CASES]
        warm, counted, timed = work[:30], work[30:40], work[40:]
        with override_settings(QINGSHEN_LOG_LINK=mode):
            # First-call imports and caches, and a first step in each district (its totals cell made).
            _run(warm, owners)
            with CaptureQueriesContext(connection) as queries:
                _run(counted, owners)
            db, cpu, wall = _backend_cpu(), time.process_time(), time.perf_counter()
            profile = cProfile.Profile() if PROFILE and mode == "commit" else None
            if profile:
                profile.enable()
            _run(timed, owners)
            if profile:
                profile.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            db = None if db is None else _backend_cpu() - db
        report(f"transition ({mode}): processor ms each", cpu * 1000 / len(timed), "ms")
        if db is not None:
            report(f"transition ({mode}): database backend processor ms each", db * 1000 / len(timed), "ms")
        report(f"transition ({mode}): wall ms each", wall * 1000 / len(timed), "ms")
        report(f"transition ({mode}): SQL statements each", len(queries) / len(counted), "statements")
        if profile:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
            print(out.getvalue())
        if os.environ.get("BENCH_TX_SQL") == "1":  # the last transition's statements
            for q in queries.captured_queries[-(len(queries) // len(counted)) :]:
                print("  ", q["sql"][:300])
