"""Issue 18 goal 6, the measurement only: case transitions per second with 1 and with 8 concurrent
writers on PostgreSQL. Each writer takes its own cases (no two lock the same case row), so what they
share is the log's chain head row, which every transaction locks until it commits.

    BENCH_WRITER_CASES=800 DATABASE_URL=postgres://... .venv/bin/python bench/run.py log_writers
"""

import os
import threading
import time

from django.db import connection, connections

CASES = int(os.environ.get("BENCH_WRITER_CASES", "800"))
WRITERS = 8


def _ready_cases(n):
    """N cases whose enterprise has filled in its disclosure, each with its owner account."""
    from bench.bench_case_list import _city
    from qingshen.accounts.models import User
    from qingshen.cases.models import AuditCase
    from qingshen.demo.disclosures import disclosure_fill_for_demo

    _city(n)
    ready = []
    for case in AuditCase.objects.select_related("enterprise", "listing").order_by("pk"):
        owner = User.objects.create(username=f"e{case.pk}", role="enterprise", enterprise=case.enterprise)
        disclosure_fill_for_demo(case=case, actor=owner)
        ready.append((case.pk, owner))
    return ready


def _disclose(work):
    from qingshen.cases import services

    for pk, owner in work:
        services.case_transition(case_id=pk, actor=owner, action="disclose")


def _concurrently(slices):
    barrier = threading.Barrier(len(slices) + 1)
    failures = []

    def writer(work):
        try:
            barrier.wait()
            _disclose(work)
        except Exception as exc:  # reported after the run, not swallowed
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(work,)) for work in slices]
    for th in threads:
        th.start()
    barrier.wait()
    t = time.perf_counter()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    assert not failures, failures
    return elapsed


def run(report):
    if connection.vendor != "postgresql":
        print("log_writers: PostgreSQL only (SQLite serialises every writer anyway)")
        return
    from qingshen.trail import chain

    t = time.perf_counter()
    ready = _ready_cases(CASES)
    report(f"log writers: {CASES} cases ready to disclose", time.perf_counter() - t, "s")
    one, many = ready[: CASES // 4], ready[CASES // 4 :]
    elapsed = _concurrently([one])
    single = len(one) / elapsed
    report("log writers: transitions/s, 1 writer", single, "per s")
    elapsed = _concurrently([many[i::WRITERS] for i in range(WRITERS)])
    concurrent = len(many) / elapsed
    report(f"log writers: transitions/s, {WRITERS} concurrent writers", concurrent, "per s")
    report(
        f"log writers: {WRITERS} writers / 1 writer (how far the writers scale)",
        concurrent / single,
        "ratio",
    )
    assert chain.verify().ok
