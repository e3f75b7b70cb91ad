"""A programme date ("evaluations done by 11/15") written onto N open cases (issue 15 item 1).

Side by side: cases.milestone_deadlines.milestone_deadlines_set (one UPDATE for the rows there, a bulk
insert for the missing ones, one UPDATE of the cases' next deadline) against the row-by-row way (per
case: insert the row, then recompute and save its next deadline). Then the date is moved (edit of the
milestone) both ways. Prints the ratios.

    BENCH_CASES=20000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py milestone_deadlines
"""

import datetime
import os
import time

CASES = int(os.environ.get("BENCH_CASES", "3000"))


def _build(n):
    from django.utils import timezone

    from qingshen.accounts.models import Jurisdiction
    from qingshen.cases.models import AuditCase
    from qingshen.demo.world import make_uscc
    from qingshen.programmes.models import Listing, Milestone, Programme
    from qingshen.registry.models import Enterprise

    today = timezone.localdate()
    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    district = Jurisdiction.objects.create(name="区", level="district", parent=city)
    programmes = []
    for k in range(2):
        programme = Programme.objects.create(
            city=city, year=today.year - k, title=f"t{k}", list_state="published", published_on=today
        )
        enterprises = Enterprise.objects.bulk_create(
            Enterprise(
                name=f"企业{k}-{i}", uscc=make_uscc("500112", 20_000_000 + k * n + i), jurisdiction=district
            )
            for i in range(n)
        )
        listings = Listing.objects.bulk_create(
            Listing(programme=programme, enterprise=e, grounds=["emissions"], lead_authority="environment")
            for e in enterprises
        )
        AuditCase.objects.bulk_create(
            AuditCase(
                programme=programme,
                listing=lst,
                enterprise=lst.enterprise,
                jurisdiction=district,
                jurisdiction_path=district.path,
                published_on=today,
            )
            for lst in listings
        )
        milestone = Milestone.objects.create(
            programme=programme,
            kind="evaluations_done",
            name="评估完成",
            due_on=today + datetime.timedelta(days=90),
        )
        programmes.append((programme, milestone))
    return programmes


def _row_by_row(programme, milestone, due_on):
    from qingshen.cases.deadlines import MILESTONE_MET_BY
    from qingshen.cases.models import CaseDeadline

    for case in programme.cases.filter(**{f"{MILESTONE_MET_BY['milestone_evaluation']}__isnull": True}):
        row, _ = CaseDeadline.objects.get_or_create(
            case=case,
            milestone=milestone,
            defaults={
                "kind": "milestone_evaluation",
                "party": "bureau",
                "starts_on": case.published_on,
                "due_on": due_on,
                "label": milestone.name,
            },
        )
        if row.due_on != due_on:
            row.due_on = due_on
            row.save(update_fields=["due_on"])
        first = case.deadlines.filter(status="open").order_by("due_on", "pk").first()
        case.next_due_on, case.next_due_kind = first.due_on, first.kind
        case.save(update_fields=["next_due_on", "next_due_kind"])


def run(report):
    from django.db import transaction

    from qingshen.cases.milestone_deadlines import milestone_deadlines_set

    (set_programme, set_milestone), (row_programme, row_milestone) = _build(CASES)

    def set_based(due_on):
        milestone_deadlines_set(
            programme_id=set_programme.pk,
            milestone_id=set_milestone.pk,
            milestone_kind="evaluations_done",
            name=set_milestone.name,
            due_on=due_on,
        )

    for what, due_on in (
        ("bind", set_milestone.due_on),
        ("move", set_milestone.due_on - datetime.timedelta(days=5)),
    ):
        t = time.perf_counter()
        with transaction.atomic():
            set_based(due_on)
        set_s = time.perf_counter() - t
        t = time.perf_counter()
        with transaction.atomic():
            _row_by_row(row_programme, row_milestone, due_on)
        row_s = time.perf_counter() - t
        report(f"{what} a milestone on {CASES} cases: set-based", set_s, "s")
        report(f"{what} a milestone on {CASES} cases: row by row", row_s, "s")
        report(f"{what}: row by row / set-based", row_s / set_s if set_s else 0, "x")
