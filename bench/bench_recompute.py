"""The first deadline recompute after a rule or calendar edit, over N open cases (issue 18 goal 4).

Builds N open cases at mixed stages (12 publication dates; a fifth applied for evaluation on one of
300 days, some passed it, some applied for acceptance) with their deadline rows in step, by chunked
bulk inserts. Then edits the working-day rule, a months rule and the calendar, and times:

- old: the per-case recompute (each case locked, recomputed, saved and logged), on a slice of
  BENCH_RECOMPUTE_SLICE cases, reported per 1,000 cases and extrapolated to N;
- new: the set-based sweep (`deadlines_sweep`: one due date per rule and start date, one UPDATE per
  duty joined to those groups) over all N, after one rule edit (report_due: every case's report
  deadline moves) and after three rules and a calendar day at once.

    BENCH_CASES=100000 DATABASE_URL=postgres://... .venv/bin/python bench/run.py recompute
"""

import datetime
import os
import time

CASES = int(os.environ.get("BENCH_CASES", "5000"))
SLICE = int(os.environ.get("BENCH_RECOMPUTE_SLICE", "1000"))
CHUNK = 10_000


def _dates(i: int, published: list[datetime.date]) -> dict:
    """Step dates of case i: a fifth applied for evaluation, half of those passed, a third of those applied
    for acceptance."""
    p = published[i % len(published)]
    dates = {"published_on": p, "disclosed_on": p + datetime.timedelta(days=10) if i % 3 else None}
    if i % 5 == 0:
        applied = p + datetime.timedelta(days=200 + (i // 5) % 300)
        dates |= {
            "report_submitted_on": applied - datetime.timedelta(days=5),
            "evaluation_applied_on": applied,
        }
        if i % 10 == 0:
            dates |= {
                "evaluation_checked_on": applied + datetime.timedelta(days=3),
                "evaluation_concluded_on": applied + datetime.timedelta(days=20),
                "evaluation_passed_on": applied + datetime.timedelta(days=20),
            }
        if i % 30 == 0:
            dates["acceptance_applied_on"] = applied + datetime.timedelta(days=120)
    return dates


def _rows(case, calendar, rules, cache):
    """The deadline rows `deadlines_recompute` would write for `case` (computed here to bulk-insert)."""
    from qingshen.cases.deadlines import DEADLINE_RULES
    from qingshen.cases.models import CaseDeadline
    from qingshen.procedures.rules import due_from

    rows, open_rows = [], []
    for spec in DEADLINE_RULES:
        start = getattr(case, spec.starts)
        if start is None or spec.rule_code not in rules:
            continue
        key = (spec.rule_code, start)
        if key not in cache:
            cache[key] = due_from(rule=rules[spec.rule_code], start=start, calendar=calendar)
        due = cache[key]
        met = getattr(case, spec.met_by)
        status = "met" if met is not None and met >= start else "open"
        row = CaseDeadline(
            case=case,
            kind=spec.kind,
            party=spec.party,
            rule_code=spec.rule_code,
            starts_on=start,
            due_on=due.date,
            provisional=due.provisional,
            status=status,
            met_on=met if status == "met" else None,
        )
        rows.append(row)
        if status == "open":
            open_rows.append(row)
    open_rows.sort(key=lambda r: r.due_on)
    case.next_due_on = open_rows[0].due_on if open_rows else None
    case.next_due_kind = open_rows[0].kind if open_rows else ""
    return rows


def _build(n, report):
    from qingshen.accounts.models import Jurisdiction
    from qingshen.cases.deadlines import RULE_CODES
    from qingshen.cases.models import AuditCase, CaseDeadline
    from qingshen.demo.world import make_uscc
    from qingshen.procedures.rules import rules_by_code
    from qingshen.procedures.workcalendar import WorkCalendar
    from qingshen.programmes.models import Listing, Programme
    from qingshen.registry.models import Enterprise

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    districts = [Jurisdiction.objects.create(name=f"区{i}", level="district", parent=city) for i in range(20)]
    published = [datetime.date(2025, 1, 6) + datetime.timedelta(days=30 * k) for k in range(12)]
    programme = Programme.objects.create(
        city=city, year=2025, title="t", list_state="published", published_on=published[0]
    )
    calendar, rules, cache = WorkCalendar(), rules_by_code(RULE_CODES), {}
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
        cases = [
            AuditCase(
                programme=programme,
                listing=lst,
                enterprise=lst.enterprise,
                jurisdiction=lst.enterprise.jurisdiction,
                jurisdiction_path=lst.enterprise.jurisdiction.path,
                state="evaluation_applied" if (start + k) % 5 == 0 else "disclosed",
                **_dates(start + k, published),
            )
            for k, lst in enumerate(listings)
        ]
        rows = []
        for case in cases:
            rows.extend(_rows(case, calendar, rules, cache))
        AuditCase.objects.bulk_create(cases)
        for row in rows:
            row.case_id = row.case.pk
        CaseDeadline.objects.bulk_create(rows, batch_size=5000)
    report(
        f"build {n} open cases + {CaseDeadline.objects.count()} deadlines (bulk)",
        time.perf_counter() - t,
        "s",
    )


def _edit(amount: int):
    from qingshen.procedures.models import CalendarDay, Rule

    Rule.objects.filter(code="application_check_due").update(amount=amount)
    Rule.objects.filter(code="report_due").update(amount=amount + 6, unit=Rule.Unit.MONTHS)
    Rule.objects.filter(code="disclosure_due").update(amount=amount + 20, unit=Rule.Unit.DAYS)
    # bulk_create sends no post_save: the recompute is timed here, not run by the signal's job.
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=datetime.date(2025, 9, 1) + datetime.timedelta(days=amount), is_workday=False)]
    )


def run(report):
    from django.db import connection, transaction

    from qingshen.cases.deadline_bulk import open_cases, recompute_one_by_one
    from qingshen.maintenance.deadline_sweep import deadlines_sweep
    from qingshen.procedures.workcalendar import WorkCalendar

    _build(CASES, report)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    deadlines_sweep()  # the fingerprint of the inputs as built

    # Old: case by case, on a slice, after an edit.
    _edit(7)
    ids = list(open_cases().order_by("pk").values_list("pk", flat=True)[:SLICE])
    t = time.perf_counter()
    with transaction.atomic():
        changed = recompute_one_by_one(ids, calendar=WorkCalendar())
    per_k = (time.perf_counter() - t) / len(ids) * 1000
    report(f"old per-case recompute, per 1,000 open cases (slice of {len(ids)}, {changed} moved)", per_k, "s")
    old_total = per_k * CASES / 1000
    report(f"old per-case recompute, {CASES} open cases (extrapolated)", old_total, "s")

    # New: set-based over all cases, after one rule edit (every open case's report deadline moves),
    # then after all the edits above again (three rules and a calendar day).
    from qingshen.procedures.models import Rule

    deadlines_sweep()  # the rest of the cases caught up with the edits above (untimed)
    Rule.objects.filter(code="report_due").update(amount=14)
    t = time.perf_counter()
    result = deadlines_sweep()
    one_rule = time.perf_counter() - t
    report(f"set-based, one rule edit, {CASES} open cases ({result.moved} moved)", one_rule, "s")
    report("  ratio old / new (one rule edit)", old_total / one_rule, "x")
    _edit(9)
    t = time.perf_counter()
    result = deadlines_sweep()
    new_total = time.perf_counter() - t
    report(f"set-based, 3 rules + calendar, {CASES} open cases ({result.moved} moved)", new_total, "s")
    report("  ratio old / new (3 rules + calendar)", old_total / new_total, "x")
    t = time.perf_counter()
    deadlines_sweep(force=True)
    report(f"set-based recompute again, nothing moved, {CASES} open cases", time.perf_counter() - t, "s")
