"""Accountability detection (追责情形 b–d): each rule fires on an overdue bureau duty and not otherwise."""

import datetime

from qingshen.oversight.models import AccountabilityRecord
from qingshen.oversight.services import accountability_detect
from qingshen.trail.models import Event
from tests import factories as f
from tests.oversight.test_warnings import at

Kind = AccountabilityRecord.Kind


def walk(world, case, state):
    return f.walk(case, state, city_user=world.users["city"], enterprise_user=world.users["enterprise"])


def detect_after(deadline):
    with at(deadline.due_on + datetime.timedelta(days=1)):
        return accountability_detect()


def test_b_application_not_checked_in_time(world):
    case = walk(world, world.case_north, "evaluation_applied")
    check = case.deadlines.get(kind="evaluation_check")
    with at(check.due_on):
        assert accountability_detect() == 0  # due today is not yet late
    assert detect_after(check) == 1
    record = AccountabilityRecord.objects.get(case=case)
    assert record.kind == Kind.NOT_CHECKED and record.deadline == check and record.due_on == check.due_on
    assert record.responsible_section == "自然科"
    assert "追责情形" in record.rule_citation and "评估/验收申请材料受理审查时限" in record.rule_citation
    assert record.duty and record.closed_at is None
    assert Event.objects.filter(action="oversight.accountability.detect", object_id=str(record.pk)).exists()
    assert detect_after(check) == 0  # idempotent


def test_b_does_not_fire_when_checked_in_time(world):
    case = walk(world, world.case_north, "evaluating")
    check = case.deadlines.get(kind="evaluation_check")
    assert check.status == "met"
    detect_after(check)
    assert not AccountabilityRecord.objects.filter(kind=Kind.NOT_CHECKED).exists()


def test_c_no_evaluation_organised_in_time(world):
    case = walk(world, world.case_north, "evaluating")
    review = case.deadlines.get(kind="evaluation_review")
    with at(review.due_on):
        assert accountability_detect() == 0
    assert detect_after(review) == 1
    assert AccountabilityRecord.objects.get().kind == Kind.EVALUATION_LATE


def test_c_does_not_fire_when_evaluation_concluded(world):
    case = walk(world, world.case_north, "implementing")
    review = case.deadlines.get(kind="evaluation_review")
    assert review.status == "met"
    detect_after(review)
    assert not AccountabilityRecord.objects.exists()


def test_d_no_acceptance_organised_in_time(world):
    case = walk(world, world.case_north, "accepting")
    review = case.deadlines.get(kind="acceptance_review")
    assert detect_after(review) == 1
    assert AccountabilityRecord.objects.get().kind == Kind.ACCEPTANCE_LATE


def test_d_does_not_fire_when_accepted(world):
    case = walk(world, world.case_north, "accepted")
    review = case.deadlines.get(kind="acceptance_review")
    detect_after(review)
    assert not AccountabilityRecord.objects.exists()


def test_enterprise_duties_never_open_records(world):
    report = world.case_north.deadlines.get(kind="report")
    detect_after(report)
    assert not AccountabilityRecord.objects.exists()
