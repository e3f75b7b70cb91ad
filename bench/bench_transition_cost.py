"""What one case transition costs: processor ms of its writer (this process) and of its PostgreSQL
backend (read from /proc, where the database runs on this machine), wall ms, SQL statements and Python
function calls per `disclose` (the step bench_log_writers times with 8 writers on 2 cores, where both
processors' shares bound the rate), in each way of linking the log, one writer.

On a shared machine the times wander with the others' load: they are taken over batches of BATCH
transitions, the quietest batch and the median one. The calls (counted by cProfile on their own
transitions) and the statements do not wander, and follow the processor time of the ORM's work.
BENCH_TX_PROFILE=1 prints the commit mode's top functions by processor time; BENCH_TX_SQL=1 one
transition's statements.

    BENCH_TX_CASES=300 DATABASE_URL=postgres://... .venv/bin/python bench/run.py transition_cost
"""

import cProfile
import io
import os
import pstats
import statistics
import time
from pathlib import Path

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

CASES = int(os.environ.get("BENCH_TX_CASES", "300"))
PROFILE = os.environ.get("BENCH_TX_PROFILE", "") == "1"
MODES = ("inline", "commit")
WARM, COUNTED, BATCH = 30, 10, 20


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


def _batches(timed, owners):
    """(processor, backend processor or None, wall) seconds per transition of each batch."""
    out = []
    for i in range(0, len(timed) - BATCH + 1, BATCH):
        batch = timed[i : i + BATCH]
        db, cpu, wall = _backend_cpu(), time.process_time(), time.perf_counter()
        _run(batch, owners)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        db = None if db is None else _backend_cpu() - db
        out.append((cpu / BATCH, None if db is None else db / BATCH, wall / BATCH))
    return out


def _print_profile(profile):
    for order, lines in (("cumulative", 60), ("tottime", 40)):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(lines)
        print(out.getvalue())


def run(report):
    from bench.bench_log_writers import _ready_cases
    from qingshen.accounts.models import User

    ready = _ready_cases(len(MODES) * CASES)
    owners = User.objects.in_bulk([owner for _pk, owner in ready])
    for i, mode in enumerate(MODES):
        work = ready[i * CASES : (i + 1) * CASES]
        warm, counted, called, timed = (
            work[:WARM],
            work[WARM : WARM + COUNTED],
            work[WARM + COUNTED : WARM + 2 * COUNTED],
            work[WARM + 2 * COUNTED :],
        )
        with override_settings(QINGSHEN_LOG_LINK=mode):
            # First-call imports and caches, and a first step in each district (its totals cell made).
            _run(warm, owners)
            with CaptureQueriesContext(connection) as queries:
                _run(counted, owners)
            calls = cProfile.Profile()
            calls.runcall(_run, called, owners)
            batches = _batches(timed, owners)
            if PROFILE and mode == "commit":
                profile = cProfile.Profile(time.process_time)
                profile.runcall(_run, timed[: BATCH * 2], owners)
        ms = {
            name: [b[k] * 1000 for b in batches if b[k] is not None]
            for k, name in enumerate(("processor", "database backend processor", "wall"))
        }
        for name, values in ms.items():
            if values:
                report(f"transition ({mode}): {name} ms each, quietest batch", min(values), "ms")
                report(f"transition ({mode}): {name} ms each, median batch", statistics.median(values), "ms")
        report(f"transition ({mode}): SQL statements each", len(queries) / len(counted), "statements")
        total_calls = pstats.Stats(calls).total_calls
        report(f"transition ({mode}): Python function calls each", total_calls / len(called), "calls")
        if PROFILE and mode == "commit":
            _print_profile(profile)
        if os.environ.get("BENCH_TX_SQL") == "1":  # the last transition's statements
            for q in queries.captured_queries[-(len(queries) // len(counted)) :]:
                print("  ", q["sql"][:300])
