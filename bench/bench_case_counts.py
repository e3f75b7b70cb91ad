"""What a step of a case pays for the case counts (cases.counts) in a cell of BENCH_CELL_CASES cases
(2,500 by default, a large district's programme): the cell rewritten from its cases (every step
before the deltas) against the case moved between two buckets (cases.count_deltas).

    .venv/bin/python bench/run.py case_counts
    BENCH_CELL_CASES=2500 DATABASE_URL=postgres://... .venv/bin/python bench/run.py case_counts

Each sample runs in a transaction rolled back afterwards, so every one starts from the same counts.
"delta" is a locked step's save with the counts' receiver connected less the same save without it.
"""

import datetime
import os
import statistics
import time

CELL = int(os.environ.get("BENCH_CELL_CASES", "2500"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "15"))
STATES = ("listed", "disclosed", "auditing", "report_submitted", "withdrawn")


def _build():
    from django.utils import timezone

    from qingshen.accounts.models import Jurisdiction
    from qingshen.cases.counts import case_counts_rebuild
    from qingshen.cases.models import AuditCase
    from qingshen.demo.world import make_uscc
    from qingshen.programmes.models import Listing, Programme
    from qingshen.registry.models import Enterprise

    today = timezone.localdate()
    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    district = Jurisdiction.objects.create(name="区", level="district", parent=city)
    published = today - datetime.timedelta(days=200)
    programme = Programme.objects.create(
        city=city, year=published.year, title="t", list_state="published", published_on=published
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(name=f"企业{i}", uscc=make_uscc("500112", 10_000_000 + i), jurisdiction=district)
        for i in range(CELL)
    )
    grounds = (["emissions"], ["energy"], ["emissions", "hazardous"])
    listings = Listing.objects.bulk_create(
        Listing(programme=programme, enterprise=e, grounds=grounds[i % 3], lead_authority="environment")
        for i, e in enumerate(enterprises)
    )
    AuditCase.objects.bulk_create(
        AuditCase(
            programme=programme,
            listing=lst,
            enterprise=lst.enterprise,
            jurisdiction=district,
            jurisdiction_path=district.path,
            published_on=published,
            state=STATES[i % len(STATES)],
            next_due_on=today + datetime.timedelta(days=i % 180 - 90),
            disclosed_on=published if i % 2 else None,
        )
        for i, lst in enumerate(listings)
    )
    case_counts_rebuild()
    return AuditCase.objects.filter(programme=programme).order_by("pk")


def _ms(fn) -> float:
    from django.db import transaction

    samples = []
    for i in range(SAMPLES):
        with transaction.atomic():
            t = time.perf_counter()
            fn(i)
            samples.append((time.perf_counter() - t) * 1000)
            transaction.set_rollback(True)
    return statistics.median(samples)


def run(report):
    from django.db.models.signals import post_save

    from qingshen.cases import counts
    from qingshen.cases.models import AuditCase, CaseCount

    cases = _build()
    pks = list(cases.filter(state="listed").values_list("pk", flat=True)[:SAMPLES])
    first = cases.first()
    report(f"cell of {cases.count()} cases: count rows", CaseCount.objects.count(), "rows")
    today = datetime.date.today()

    def step(i):
        case = AuditCase.objects.select_for_update(of=("self",)).select_related("listing").get(pk=pks[i])
        case.state, case.next_due_on = "disclosed", today + datetime.timedelta(days=30)
        case.disclosed_on = today
        case.save(update_fields=["state", "next_due_on", "disclosed_on"])

    def rewrite(i):
        counts.case_counts_refresh(
            programme_id=first.programme_id,
            jurisdiction_id=first.jurisdiction_id,
            case_kind=first.kind,
            moved=False,
        )

    with_delta = _ms(step)
    post_save.disconnect(sender=AuditCase, dispatch_uid="case_counts_save")
    try:
        bare = _ms(step)
    finally:
        counts.connect()
    before = _ms(rewrite)
    after = max(with_delta - bare, 0.01)
    report("step (locked read + save) without the counts", bare, "ms")
    report("counts per step, before: the cell rewritten", before, "ms")
    report("counts per step, after: the delta", after, "ms")
    report("ratio before / after", before / after, "x")
    report("steps/s, before (save + rewrite)", 1000 / (bare + before), "/s")
    report("steps/s, after (save + delta)", 1000 / with_delta, "/s")
