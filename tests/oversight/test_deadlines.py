"""Deadline arithmetic: calendar months, working days with holidays and 调休, the calendar's end."""

import datetime

import pytest

from qingshen.cases import services
from qingshen.cases.deadlines import DEADLINE_RULES, deadlines_recompute
from qingshen.procedures.models import CalendarDay, Rule
from qingshen.procedures.rules import due_from, rule_get
from qingshen.procedures.workcalendar import WorkCalendar

D = datetime.date


@pytest.fixture
def rules(db):
    return {r.code: r for r in Rule.objects.all()}


def test_defaults_are_seeded_with_sources(rules):
    assert (rules["disclosure_due"].amount, rules["disclosure_due"].unit) == (1, "months")
    assert (rules["audit_start_due"].amount, rules["audit_start_due"].unit) == (2, "months")
    assert (rules["report_due"].amount, rules["report_due"].unit) == (1, "years")
    assert (rules["evaluation_review_due"].amount, rules["evaluation_review_due"].unit) == (1, "months")
    assert (rules["acceptance_apply_due"].amount, rules["acceptance_apply_due"].unit) == (1, "years")
    assert all(r.source for r in rules.values())
    # Every deadline the cases use has its rule row.
    assert {d.rule_code for d in DEADLINE_RULES} <= set(rules)


def test_month_on_a_working_day(rules):
    due = due_from(rule=rules["disclosure_due"], start=D(2026, 3, 10))
    assert due.date == D(2026, 4, 10) and not due.provisional


def test_month_end_clamps(rules):
    # 3/31 + 1 month has no 4/31: the month's last day, 4/30 (a Thursday, a working day).
    assert due_from(rule=rules["disclosure_due"], start=D(2026, 3, 31)).date == D(2026, 4, 30)


def test_last_day_on_a_holiday_moves_to_the_next_working_day(rules):
    # P = 9/1: one month later is 10/1, National Day; the holiday runs to 10/7, so the period ends 10/8.
    assert due_from(rule=rules["disclosure_due"], start=D(2026, 9, 1)).date == D(2026, 10, 8)


def test_last_day_on_a_weekend_moves_to_monday(rules):
    # 2026-06-13 is a Saturday.
    assert due_from(rule=rules["disclosure_due"], start=D(2026, 5, 13)).date == D(2026, 6, 15)


def test_no_roll_forward_when_the_rule_says_so(rules):
    rule = rules["disclosure_due"]
    rule.roll_forward = False
    assert due_from(rule=rule, start=D(2026, 9, 1)).date == D(2026, 10, 1)


def test_working_days_skip_the_holiday_and_count_the_adjusted_saturday(rules):
    # From Mon 9/28: 9/29, 9/30, (10/1–10/7 off), 10/8, 10/9, and Sat 10/10 is a 调休 working day.
    due = due_from(rule=rules["application_check_due"], start=D(2026, 9, 28))
    assert due.date == D(2026, 10, 10) and not due.provisional


def test_a_year_the_library_does_not_know_is_weekends_only_and_provisional(rules):
    due = due_from(rule=rules["report_due"], start=D(2026, 11, 2))
    assert due.date == D(2027, 11, 2)  # a Tuesday
    assert due.provisional


def test_city_calendar_rows_make_a_future_year_known(rules):
    CalendarDay.objects.create(date=D(2027, 11, 2), is_workday=False, name="测试假日", source="测试")
    due = due_from(rule=rules["report_due"], start=D(2026, 11, 2))
    assert due.date == D(2027, 11, 3)
    assert not due.provisional


def test_an_adjusted_working_weekend_entered_by_the_city(db):
    CalendarDay.objects.create(date=D(2027, 1, 2), is_workday=True, name="调休上班")
    assert WorkCalendar().is_workday(D(2027, 1, 2))  # a Saturday


def test_rule_edits_change_new_deadlines(rules):
    rule = rule_get("disclosure_due")
    rule.amount = 2
    rule.save()
    assert due_from(rule=rule_get("disclosure_due"), start=D(2026, 3, 10)).date == D(2026, 5, 11)


def test_case_deadlines_from_publication(world):
    case = world.case_north
    kinds = dict(case.deadlines.values_list("kind", "status"))
    assert kinds == {"disclosure": "open", "audit_start": "open", "report": "open"}
    p = case.published_on
    disclosure = case.deadlines.get(kind="disclosure")
    assert disclosure.starts_on == p and disclosure.due_on >= p + datetime.timedelta(days=28)
    assert case.next_due_on == disclosure.due_on and case.next_due_kind == "disclosure"


def test_meeting_a_duty_marks_it_met_and_moves_the_next_deadline(world):
    case = services.case_transition(
        case_id=world.case_north.pk, actor=world.users["enterprise"], action="disclose"
    )
    disclosure = case.deadlines.get(kind="disclosure")
    assert disclosure.status == "met" and disclosure.met_on == case.disclosed_on
    assert case.next_due_kind == "audit_start"


def test_application_opens_bureau_deadlines_and_reapplication_restarts_them(world):
    from tests import factories as f

    case = f.walk(
        world.case_north,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    assert set(case.deadlines.filter(party="bureau", status="open").values_list("kind", flat=True)) == {
        "evaluation_check",
        "evaluation_review",
    }
    case = services.case_transition(
        case_id=case.pk, actor=world.users["city"], action="refuse_evaluation_application", reason="缺少材料"
    )
    check = case.deadlines.get(kind="evaluation_check")
    assert check.status == "met"
    # The review was never organised: still open until the enterprise applies again and it restarts.
    assert case.deadlines.get(kind="evaluation_review").status == "open"


def test_evaluation_passed_sets_the_acceptance_deadline(world):
    from tests import factories as f

    case = f.walk(
        world.case_north,
        "implementing",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    apply = case.deadlines.get(kind="acceptance_apply")
    assert apply.status == "open"
    assert apply.starts_on == case.evaluation_passed_on
    assert apply.due_on >= case.evaluation_passed_on.replace(year=case.evaluation_passed_on.year + 1)


def test_recompute_is_stable(world):
    case = world.case_north
    before = list(case.deadlines.order_by("kind").values())
    deadlines_recompute(case)
    assert list(case.deadlines.order_by("kind").values()) == before
