"""Issue 18 goal 6: case transitions per second with 1 and with 8 concurrent writers on PostgreSQL.
Each writer takes its own cases (no two lock the same case row), so what they share is the log's chain.

The writers are processes (forked, each on its own connection): threads share one interpreter lock,
which caps them at about one core whatever the database does and hides what the chain's lock costs.

    BENCH_WRITER_CASES=800 DATABASE_URL=postgres://... .venv/bin/python bench/run.py log_writers
"""

import multiprocessing
import os
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
    # The case list's city cycles its cases through three states; every writer here starts from "listed".
    AuditCase.objects.exclude(state="listed").update(state="listed")
    ready = []
    for case in AuditCase.objects.select_related("enterprise", "listing").order_by("pk"):
        owner = User.objects.create(username=f"e{case.pk}", role="enterprise", enterprise=case.enterprise)
        disclosure_fill_for_demo(case=case, actor=owner)
        ready.append((case.pk, owner.pk))
    return ready


def _writer(work, barrier, failures):
    """One writer process: its own connection (opened after the fork), started with the others."""
    from qingshen.accounts.models import User
    from qingshen.cases import services

    try:
        owners = User.objects.in_bulk([owner for _pk, owner in work])
        barrier.wait()
        for pk, owner in work:
            services.case_transition(case_id=pk, actor=owners[owner], action="disclose")
    except Exception as exc:  # reported after the run, not swallowed
        failures.put(repr(exc))
        raise
    finally:
        connections.close_all()


def _concurrently(slices):
    context = multiprocessing.get_context("fork")
    barrier, failures = context.Barrier(len(slices) + 1), context.Queue()
    connections.close_all()  # no connection shared across the fork
    writers = [context.Process(target=_writer, args=(work, barrier, failures)) for work in slices]
    for process in writers:
        process.start()
    barrier.wait()
    t = time.perf_counter()
    for process in writers:
        process.join()
    elapsed = time.perf_counter() - t
    assert failures.empty() and all(p.exitcode == 0 for p in writers), failures.get(timeout=1)
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
    report("log writers: transitions/s, 1 writer process", single, "per s")
    elapsed = _concurrently([many[i::WRITERS] for i in range(WRITERS)])
    concurrent = len(many) / elapsed
    report(f"log writers: transitions/s, {WRITERS} writer processes", concurrent, "per s")
    report(
        f"log writers: {WRITERS} writers / 1 writer (how far the writers scale)",
        concurrent / single,
        "ratio",
    )
    assert chain.verify().ok
