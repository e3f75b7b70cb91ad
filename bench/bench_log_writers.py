"""Issue 18 goal 6: case transitions per second with 1 and with 8 concurrent writers on PostgreSQL.
Each writer takes its own cases (no two lock the same case row), so what they share is the log's chain.

The writers are processes (forked, each on its own connection): threads share one interpreter lock,
which caps them at about one core whatever the database does and hides what the chain's lock costs.

Both ways of linking the log (trail/linking.py) are measured in the same run, on cases of their own:
"inline" (in the writer's transaction, under the chain head's lock until it commits) and "commit"
(after the commit, in a short transaction of its own). The modes alternate over BENCH_WRITER_ROUNDS
rounds and each rate pools its rounds, so that the load of a shared machine falls on both alike.

A case transition costs tens of milliseconds of Python: on a machine with fewer free cores than writers,
8 writers are bound by the processor in either mode. The second part shows the lock alone: writers whose
transactions log one event and then wait BENCH_WRITER_WAIT_MS on the database (pg_sleep, a stand-in for
the rest of a transaction's round trips), which costs no processor.

    BENCH_WRITER_CASES=800 DATABASE_URL=postgres://... .venv/bin/python bench/run.py log_writers
"""

import multiprocessing
import os
import time

from django.db import connection, connections

CASES = int(os.environ.get("BENCH_WRITER_CASES", "800"))
ROUNDS = int(os.environ.get("BENCH_WRITER_ROUNDS", "2"))
WAIT_MS = int(os.environ.get("BENCH_WRITER_WAIT_MS", "20"))
LIGHT_TRANSACTIONS = int(os.environ.get("BENCH_WRITER_LIGHT", "400"))
WRITERS = 8
MODES = ("inline", "commit")


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


def _disclose(work):
    from qingshen.accounts.models import User
    from qingshen.cases import services

    owners = User.objects.in_bulk([owner for _pk, owner in work])
    yield
    for pk, owner in work:
        services.case_transition(case_id=pk, actor=owners[owner], action="disclose")


def _log_and_wait(count):
    from django.db import transaction

    from qingshen.trail.services import event_record

    yield
    for i in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            event_record(action="bench.light", note=str(i))
            cursor.execute("SELECT pg_sleep(%s)", [WAIT_MS / 1000])


def _writer(job, work, barrier, failures):
    """One writer process: its own connection (opened after the fork), started with the others once
    its preparation (up to the job's first yield) is done."""
    try:
        steps = job(work)
        next(steps)
        barrier.wait()
        for _ in steps:
            pass
    except Exception as exc:  # reported after the run, not swallowed
        failures.put(repr(exc))
        raise
    finally:
        connections.close_all()


def _concurrently(job, slices):
    context = multiprocessing.get_context("fork")
    barrier, failures = context.Barrier(len(slices) + 1), context.Queue()
    connections.close_all()  # no connection shared across the fork
    writers = [context.Process(target=_writer, args=(job, work, barrier, failures)) for work in slices]
    for process in writers:
        process.start()
    barrier.wait()
    t = time.perf_counter()
    for process in writers:
        process.join()
    elapsed = time.perf_counter() - t
    assert failures.empty() and all(p.exitcode == 0 for p in writers), failures.get(timeout=1)
    return elapsed


def _timed(job, slices, mode):
    """Seconds for the writers of `slices` in `mode` until every row they wrote is linked (in commit
    mode each writer links after its own commit: nothing is left to link when the last one stops)."""
    from django.test import override_settings

    from qingshen.trail import linking

    with override_settings(QINGSHEN_LOG_LINK=mode):  # the forked writers inherit it
        elapsed = _concurrently(job, slices)
    assert linking.pending_count() == 0
    return elapsed


def _report_rates(report, what, done, seconds):
    """done/seconds: {(mode, writers): total}; the rates, each mode's scaling and commit/inline."""
    rate = {key: done[key] / seconds[key] for key in done}
    for mode in MODES:
        report(f"{what} ({mode}): per s, 1 writer process", rate[mode, 1], "per s")
        report(f"{what} ({mode}): per s, {WRITERS} writer processes", rate[mode, WRITERS], "per s")
        report(f"{what} ({mode}): {WRITERS} writers / 1 writer", rate[mode, WRITERS] / rate[mode, 1], "ratio")
    for writers in (1, WRITERS):
        ratio = rate["commit", writers] / rate["inline", writers]
        report(f"{what}: commit / inline, {writers} writer processes", ratio, "ratio")


def _cases_part(report):
    t = time.perf_counter()
    ready = _ready_cases(len(MODES) * CASES)
    report(f"log writers: {len(ready)} cases ready to disclose", time.perf_counter() - t, "s")
    per_run = CASES // ROUNDS
    done, seconds = {}, {}
    runs = iter(ready[i : i + per_run] for i in range(0, len(ready), per_run))
    for _round in range(ROUNDS):
        for mode in MODES:
            cases = next(runs)
            one, many = cases[: per_run // 4], cases[per_run // 4 :]
            for slices in ([one], [many[i::WRITERS] for i in range(WRITERS)]):
                key = (mode, len(slices))
                seconds[key] = seconds.get(key, 0) + _timed(_disclose, slices, mode)
                done[key] = done.get(key, 0) + sum(len(work) for work in slices)
    _report_rates(report, f"case transitions ({CASES} cases a mode)", done, seconds)


def _light_part(report):
    done, seconds = {}, {}
    each = LIGHT_TRANSACTIONS // ROUNDS
    for _round in range(ROUNDS):
        for mode in MODES:
            for writers in (1, WRITERS):
                key = (mode, writers)
                slices = [each // writers] * writers
                seconds[key] = seconds.get(key, 0) + _timed(_log_and_wait, slices, mode)
                done[key] = done.get(key, 0) + sum(slices)
    _report_rates(report, f"transactions logging 1 event, then {WAIT_MS} ms waiting", done, seconds)


def run(report):
    if connection.vendor != "postgresql":
        print("log_writers: PostgreSQL only (SQLite serialises every writer anyway)")
        return
    from qingshen.trail import chain
    from qingshen.trail.models import ChainHead

    _cases_part(report)
    _light_part(report)
    verdict = chain.verify()
    assert verdict.ok and verdict.checked == ChainHead.objects.get(pk=1).seq, verdict
