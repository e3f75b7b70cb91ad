"""追责情形 2 as worded (对完成清洁生产审核的企业，不组织专家对其进行评估和验收的), issue 15 item 11: submitting
the report starts the time to organise the evaluation (rule evaluation_organise_due), the pass of the
evaluation the time to organise the acceptance (acceptance_organise_due); the enterprise is warned to
apply; past the limit with no review organised, a `not reviewed` record opens for the organiser."""

import datetime

from django.conf import settings
from django.utils import translation

from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.notifications.models import Notification
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.oversight.services import accountability_detect, warnings_record
from qingshen.oversight.warning_notices import warnings_notify
from qingshen.procedures.models import Rule
from qingshen.procedures.rules import due_from
from tests.oversight.test_warnings import at

Kind = AccountabilityRecord.Kind


def walk(world, case, state, since="listed"):
    return walk_case(
        case,
        PATHS[state][len(PATHS[since]) :],
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
        start=case.published_on,
        reason="材料不全",
        level="II",
    )


def test_the_report_starts_the_time_to_organise_the_evaluation(world):
    case = walk(world, world.case_north, "report_submitted")
    row = case.deadlines.get(kind="evaluation_organise")
    rule = Rule.objects.get(code="evaluation_organise_due")
    assert rule.basis == "U" and rule.source
    assert row.starts_on == case.report_submitted_on and row.party == "bureau" and row.status == "open"
    assert row.due_on == due_from(rule=rule, start=case.report_submitted_on).date
    with at(row.due_on):
        assert accountability_detect() == 0  # due today is not yet late
    assert not AccountabilityRecord.objects.exists()
    with at(row.due_on + datetime.timedelta(days=1)):
        assert accountability_detect() == 1
        assert accountability_detect() == 0  # once
    record = AccountabilityRecord.objects.get()
    assert record.kind == Kind.NOT_REVIEWED and record.deadline == row and record.case == case
    assert "企业已完成清洁生产审核，未组织专家进行审核评估或审核验收的" in record.rule_citation
    assert "提交审核报告后组织审核评估时限" in record.rule_citation
    assert record.responsible_section == "自然科"


def test_the_enterprise_is_warned_to_apply(world):
    case = walk(world, world.case_north, "report_submitted")
    row = case.deadlines.get(kind="evaluation_organise")
    with at(row.due_on - datetime.timedelta(days=7)):
        warnings_record()
        already = set(Notification.objects.values_list("pk", flat=True))
        warnings_notify()
    assert Warning.objects.filter(deadline=row, level="upcoming").exists()
    with translation.override(settings.LANGUAGE_CODE):
        duty = str(row.title)
    notices = Notification.objects.filter(recipient=world.users["enterprise"]).exclude(pk__in=already)
    assert any(duty in n.body for n in notices)


def test_no_record_when_the_evaluation_was_applied_for_in_time(world):
    case = walk(world, world.case_north, "evaluation_applied")
    row = case.deadlines.get(kind="evaluation_organise")
    assert row.status == "met" and row.met_on == case.evaluation_applied_on
    with at(row.due_on + datetime.timedelta(days=1)):
        accountability_detect()
    assert not AccountabilityRecord.objects.filter(kind=Kind.NOT_REVIEWED).exists()


def test_after_implementation_the_acceptance(world):
    case = walk(world, world.case_north, "implementing")
    row = case.deadlines.get(kind="acceptance_organise")
    assert row.starts_on == case.evaluation_passed_on and row.status == "open"
    with at(row.due_on):
        accountability_detect()
    assert not AccountabilityRecord.objects.filter(deadline=row).exists()
    with at(row.due_on + datetime.timedelta(days=1)):
        accountability_detect()
    record = AccountabilityRecord.objects.get(deadline=row)
    assert record.kind == Kind.NOT_REVIEWED and "组织审核验收时限" in record.rule_citation


def test_no_record_when_the_acceptance_was_applied_for(world):
    case = walk(world, world.case_north, "acceptance_applied")
    row = case.deadlines.get(kind="acceptance_organise")
    assert row.status == "met"
    with at(row.due_on + datetime.timedelta(days=1)):
        accountability_detect()
    assert not AccountabilityRecord.objects.filter(deadline=row).exists()
