"""The early-warning and accountability sweep over a city of N cases (issue 6, §6).

Builds N cases with their enterprise deadlines (disclosure, audit start, report: due dates spread
from 200 days ago to 200 days ahead) and, for 0.2% of them, an open bureau deadline (an application
not checked), by chunked bulk inserts. Then times the set-based part of `manage.py sweep`
(warnings_record + accountability_detect) twice: the first run records everything, the second has
nothing new. Python memory (tracemalloc peak) shows the sweep does not load the rows.

The per-case deadline recompute of issue 3 (deadlines_sweep) is timed on a slice of RECOMPUTE_CASES
cases and reported per 1,000 cases, because it is row-by-row by design (it locks each case).

    BENCH_CASES=500000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py sweep
"""

import datetime
import os
import time
import tracemalloc

CASES = int(os.environ.get("BENCH_CASES", "20000"))
RECOMPUTE_CASES = int(os.environ.get("BENCH_RECOMPUTE_CASES", "2000"))
CHUNK = 10_000


def _build(n, report):
    from django.utils import timezone

    from qingshen.accounts.models import Jurisdiction
    from qingshen.cases.models import AuditCase, CaseDeadline
    from qingshen.demo.world import make_uscc
    from qingshen.programmes.models import Listing, Milestone, Programme
    from qingshen.registry.models import Enterprise

    today = timezone.localdate()
    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(20)]
    published = today - datetime.timedelta(days=200)
    programme = Programme.objects.create(
        city=city, year=published.year, title="t", list_state="published", published_on=published
    )
    Milestone.objects.bulk_create(
        Milestone(programme=programme, name=f"节点{i}", due_on=today + datetime.timedelta(days=i - 10))
        for i in range(20)
    )
    t = time.perf_counter()
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                name=f"企业{i}", uscc=make_uscc("500112", 10_000_000 + i), jurisdiction=districts[i % 20]
            )
            for i in range(start, start + size)
        )
        listings = Listing.objects.bulk_create(
            Listing(programme=programme, enterprise=e, grounds=["emissions"], lead_authority="environment")
            for e in enterprises
        )
        cases = AuditCase.objects.bulk_create(
            AuditCase(
                programme=programme,
                listing=lst,
                enterprise=lst.enterprise,
                jurisdiction=lst.enterprise.jurisdiction,
                jurisdiction_path=lst.enterprise.jurisdiction.path,
                published_on=published,
            )
            for lst in listings
        )
        rows = []
        for k, case in enumerate(cases):
            i = start + k
            for j, kind in enumerate(("disclosure", "audit_start", "report")):
                due = today + datetime.timedelta(days=(i * 7 + j * 131) % 400 - 200)
                rows.append(
                    CaseDeadline(
                        case=case,
                        kind=kind,
                        party="enterprise",
                        rule_code=f"{kind}_due",
                        starts_on=published,
                        due_on=due,
                        status="open" if (i + j) % 3 else "met",
                    )
                )
            if i % 500 == 0:
                rows.append(
                    CaseDeadline(
                        case=case,
                        kind="evaluation_check",
                        party="bureau",
                        rule_code="application_check_due",
                        starts_on=published,
                        due_on=today - datetime.timedelta(days=1 + i % 30),
                    )
                )
        CaseDeadline.objects.bulk_create(rows, batch_size=5000)
    report(f"build {n} cases + {CaseDeadline.objects.count()} deadlines (bulk)", time.perf_counter() - t, "s")


def _timed(report, label, fn):
    t = time.perf_counter()
    result = fn()
    report(label, time.perf_counter() - t, "s")
    return result


def _memory(report, label, fn):
    """Python allocations at peak (tracemalloc slows Python, so this is a separate run)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    report(f"{label}: Python memory peak", peak / 1e6, "MB")


def run(report):
    from django.db import connection

    from qingshen.maintenance.deadline_sweep import deadlines_sweep
    from qingshen.oversight.models import AccountabilityRecord, Warning
    from qingshen.oversight.services import accountability_detect, warnings_record

    _build(CASES, report)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")

    def sweep():
        return warnings_record(), accountability_detect()

    _timed(report, f"sweep (warnings + accountability), first run, {CASES} cases", sweep)
    report("  warnings recorded", Warning.objects.count(), "rows")
    report("  accountability records opened", AccountabilityRecord.objects.count(), "rows")
    counts, opened = _timed(report, f"sweep, second run (nothing new), {CASES} cases", sweep)
    report("  second run: new rows", sum(counts.values()) + opened, "rows")
    # Memory of a first run: forget what was recorded and sweep again under tracemalloc.
    AccountabilityRecord.objects.filter(deadline__isnull=False).delete()
    Warning.objects.all().delete()
    _memory(report, "sweep, first run again", sweep)

    # The issue-3 recompute, on a slice (it locks and recomputes case by case).
    from qingshen.cases.models import AuditCase

    keep = list(AuditCase.objects.order_by("pk").values_list("pk", flat=True)[:RECOMPUTE_CASES])
    AuditCase.objects.exclude(pk__in=keep).update(state="withdrawn")  # closed: skipped by the recompute
    t = time.perf_counter()
    deadlines_sweep()
    per_k = (time.perf_counter() - t) / RECOMPUTE_CASES * 1000
    report(f"deadline recompute (issue 3), per 1,000 open cases (of {RECOMPUTE_CASES})", per_k, "s")
