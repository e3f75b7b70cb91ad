"""The set-based deadline recompute (cases.deadline_bulk) gives what the per-case one gives, and runs
after a rule or a calendar edit."""

import datetime

import pytest
from django.db import transaction

from qingshen.cases.deadline_bulk import GROUP_ACTION, deadlines_recompute_open
from qingshen.cases.deadlines import deadlines_recompute
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.cases.states import CLOSED_STATES, State
from qingshen.procedures.models import CalendarDay, Rule
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.programmes.models import Listing
from qingshen.trail.models import Event
from tests import factories as f

D = datetime.date
# Step dates around the 2026 Spring Festival (15–23 Feb), National Day (1–8 Oct) and into 2027, whose
# holidays the library does not know (provisional).
STARTS = [D(2026, 2, 11), D(2026, 2, 13), D(2026, 2, 14), D(2026, 9, 28), D(2026, 9, 30), D(2026, 12, 28)]
SHAPES = [
    (State.LISTED, {}),
    (State.DISCLOSED, {"disclosed_on": 5}),
    (State.REPORT_SUBMITTED, {"disclosed_on": 3, "audit_started_on": 9, "report_submitted_on": 40}),
    (State.EVALUATION_APPLIED, {"disclosed_on": 3, "report_submitted_on": 30, "evaluation_applied_on": 0}),
    (State.EVALUATING, {"evaluation_applied_on": 0, "evaluation_checked_on": 2}),
    (
        State.IMPLEMENTING,
        {"evaluation_applied_on": -30, "evaluation_concluded_on": -5, "evaluation_passed_on": 0},
    ),
    (State.ACCEPTANCE_APPLIED, {"evaluation_passed_on": -90, "acceptance_applied_on": 0}),
    (State.ACCEPTING, {"acceptance_applied_on": 0, "acceptance_checked_on": 4}),
    (State.ACCEPTED, {"acceptance_applied_on": 0, "acceptance_concluded_on": 20, "accepted_on": 20}),
    (State.WITHDRAWN, {"withdrawn_on": 2}),
]


@pytest.fixture
def mixed(world):
    """World's two cases plus one case per (shape, start date), each in step with its dates."""
    calendar = WorkCalendar()
    for n, (state, offsets) in enumerate(SHAPES):
        for m, start in enumerate(STARTS):
            ent = f.enterprise(world.north if (n + m) % 2 else world.south)
            listing = Listing.objects.create(
                programme=world.programme, enterprise=ent, grounds=["emissions"], lead_authority="environment"
            )
            published = start - datetime.timedelta(days=100 + 7 * n)
            dates = {k: start + datetime.timedelta(days=v) for k, v in offsets.items()}
            case = AuditCase.objects.create(
                programme=world.programme,
                listing=listing,
                enterprise=ent,
                jurisdiction=ent.jurisdiction,
                state=state,
                published_on=published if "evaluation_applied_on" in offsets else start,
                **dates,
            )
            deadlines_recompute(case, calendar=calendar)
            case.save(update_fields=["next_due_on", "next_due_kind"])
    return world


def _snapshot() -> dict:
    rows = {}
    for d in CaseDeadline.objects.order_by("case_id", "kind"):
        rows.setdefault(d.case_id, []).append(
            (d.kind, d.rule_code, d.starts_on, d.due_on, d.provisional, d.status, d.met_on)
        )
    return {
        pk: (due, kind, rows.get(pk, []))
        for pk, due, kind in AuditCase.objects.values_list("pk", "next_due_on", "next_due_kind")
    }


def _per_case() -> dict:
    """What the per-case recompute of every open case gives, left undone."""
    with transaction.atomic():
        calendar = WorkCalendar()
        for case in AuditCase.objects.exclude(state__in=CLOSED_STATES).prefetch_related("deadlines"):
            deadlines_recompute(case, calendar=calendar)
            case.save(update_fields=["next_due_on", "next_due_kind"])
        result = _snapshot()
        transaction.set_rollback(True)
    return result


def _edit_inputs():
    Rule.objects.filter(code="application_check_due").update(amount=7)
    Rule.objects.filter(code="disclosure_due").update(amount=20, unit=Rule.Unit.DAYS)
    Rule.objects.filter(code="evaluation_review_due").update(roll_forward=False)
    Rule.objects.filter(code="acceptance_review_due").update(amount=15, unit=Rule.Unit.WORKING_DAYS)
    # 2027 loaded: a New Year holiday and an adjusted working Sunday (调休).
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 10), is_workday=True, name="调休")


def test_set_based_equals_per_case_after_rule_and_calendar_edits(mixed):
    _edit_inputs()
    expected = _per_case()
    before = _snapshot()
    assert expected != before  # the edits move dates
    result = deadlines_recompute_open()
    assert _snapshot() == expected
    assert result.one_by_one == []
    assert result.checked == AuditCase.objects.exclude(state__in=CLOSED_STATES).count()
    assert result.moved == sum(
        1 for pk in expected for old, new in zip(before[pk][2], expected[pk][2], strict=True) if old != new
    )
    assert result.changed == sum(1 for pk in expected if expected[pk][:2] != before[pk][:2]) > 0
    events = Event.objects.filter(action=GROUP_ACTION)
    assert sum(len(e.after["groups"]) for e in events) == result.groups > len(events) > 0
    assert sum(e.after["cases"] for e in events) >= result.changed
    # Closed cases are left as they were.
    for pk in AuditCase.objects.filter(state__in=CLOSED_STATES).values_list("pk", flat=True):
        assert _snapshot()[pk] == before[pk]


def test_second_run_changes_nothing(mixed):
    _edit_inputs()
    deadlines_recompute_open()
    again = deadlines_recompute_open()
    assert (again.moved, again.changed, again.groups) == (0, 0, 0)


def test_cases_out_of_step_are_recomputed_one_by_one(mixed):
    _edit_inputs()
    lost = AuditCase.objects.filter(state=State.EVALUATING).first()
    CaseDeadline.objects.filter(case=lost, kind="evaluation_check").update(starts_on=D(2020, 1, 1))
    moved = AuditCase.objects.filter(state=State.DISCLOSED).first()
    AuditCase.objects.filter(pk=moved.pk).update(disclosed_on=None)  # its met row now out of step
    expected = _per_case()
    result = deadlines_recompute_open()
    assert set(result.one_by_one) == {lost.pk, moved.pk}
    assert _snapshot() == expected


def test_missing_rule_rows_are_left_alone_as_per_case(mixed):
    Rule.objects.filter(code="report_due").delete()
    _edit_inputs()
    expected = _per_case()
    deadlines_recompute_open()
    assert _snapshot() == expected


def test_a_rule_edit_recomputes_after_commit(world, django_capture_on_commit_callbacks):
    case = world.case_north
    due = case.deadlines.get(kind="disclosure").due_on
    rule = Rule.objects.get(code="disclosure_due")
    rule.amount = 2
    with django_capture_on_commit_callbacks(execute=True):
        rule.save()
    case.refresh_from_db()
    moved = case.deadlines.get(kind="disclosure").due_on
    assert moved > due and moved.month in ((due.month + 1) % 12 or 12, (due.month + 2) % 12 or 12)
    assert Event.objects.filter(action=GROUP_ACTION).exists()


def test_a_calendar_edit_recomputes_after_commit(world, django_capture_on_commit_callbacks):
    report = world.case_north.deadlines.get(kind="report")
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=report.due_on, is_workday=False, name="测试")
    report.refresh_from_db()
    assert report.due_on > CalendarDay.objects.get().date
    case = AuditCase.objects.get(pk=world.case_north.pk)
    assert case.next_due_on == case.deadlines.filter(status="open").order_by("due_on").first().due_on
