"""Milestones "evaluations done by" / "acceptances done by" as deadlines of the programme's open cases
(issue 15 item 1): on the cases short of the stage, warned before, an accountability record after, and
following the milestone's date when it is edited."""

import datetime

import pytest
from django.utils import timezone

from qingshen.cases.models import CaseDeadline
from qingshen.cases.services import case_create_for_listing
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.oversight.services import accountability_detect, warnings_record
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone
from qingshen.trail.models import Event
from tests import factories as f
from tests.oversight.test_warnings import at

Kind = Milestone.Kind
TODAY = timezone.localdate()
YEAR = TODAY.year + 1


def _programme(world, *, year=YEAR):
    programme = programme_services.programme_create(
        city=world.city,
        year=year,
        document_number="测环办〔2027〕24号",
        issuing_body="测试市生态环境局",
        actor=world.users["city"],
    )
    for ent in (world.ent_north, world.ent_south):
        programme_listings.listing_add(
            programme=programme, enterprise=ent, grounds=["emissions"], actor=world.users["city"]
        )
    return programme


def _milestone(world, programme, kind=Kind.EVALUATIONS_DONE, due_on=None, name="本年度评估完成"):
    return programme_services.milestone_add(
        programme=programme,
        kind=kind,
        name=name,
        due_on=due_on or datetime.date(YEAR, 11, 15),
        source="通知第三条",
        actor=world.users["city"],
    )


def _draft_with_cases(world):
    """A draft programme whose listings already have cases (the milestone services must handle them)."""
    programme = _programme(world)
    cases = {}
    for listing in programme.listings.select_related("enterprise__jurisdiction", "programme"):
        cases[listing.enterprise_id] = case_create_for_listing(
            listing=listing, published_on=TODAY - datetime.timedelta(days=10)
        )
    return programme, cases[world.ent_north.pk], cases[world.ent_south.pk]


def _walk(world, case, state, enterprise_user, *, since="listed"):
    """Take the demo's steps from state `since` to `state`."""
    path = PATHS[state][len(PATHS[since]) :]
    return walk_case(
        case,
        path,
        city_user=world.users["city"],
        enterprise_user=enterprise_user,
        start=case.published_on,
        reason="材料不全",
        level="II",
    )


def test_publication_makes_the_milestone_a_deadline_of_every_case(world, client_for):
    programme = _programme(world)
    due = TODAY + datetime.timedelta(days=30)
    milestone = _milestone(world, programme, due_on=max(due, datetime.date(YEAR - 1, 1, 1)))
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=world.users["city"], published_on=TODAY
    )
    rows = CaseDeadline.objects.filter(milestone=milestone)
    assert rows.count() == 2
    assert {r.label for r in rows} == {"本年度评估完成"}
    assert {r.status for r in rows} == {"open"} and {r.party for r in rows} == {"bureau"}
    assert all(r.due_on == milestone.due_on for r in rows)
    case = programme.cases.get(enterprise=world.ent_north)
    page = client_for(world.users["city"]).get(case.get_absolute_url()).content.decode()
    assert f'data-milestone="{milestone.pk}"' in page and "本年度评估完成" in page
    assert Event.objects.filter(action="case.deadlines.milestone").exists()


def test_only_on_open_cases_short_of_the_stage(world):
    programme, north, south = _draft_with_cases(world)
    north = _walk(world, north, "implementing", world.users["enterprise"])
    milestone = _milestone(world, programme)
    assert not north.deadlines.filter(milestone=milestone).exists()  # its evaluation is concluded
    row = south.deadlines.get(milestone=milestone)
    assert row.status == "open" and row.kind == "milestone_evaluation"
    south.refresh_from_db()
    assert south.next_due_on is not None
    # Reaching the stage meets it.
    south = _walk(world, south, "implementing", world.users["enterprise_south"])
    row.refresh_from_db()
    assert row.status == "met" and row.met_on == south.evaluation_concluded_on
    # The acceptance milestone binds both (neither has been accepted) until the case is accepted.
    acceptance = _milestone(world, programme, kind=Kind.ACCEPTANCES_DONE, name="验收完成")
    assert CaseDeadline.objects.filter(milestone=acceptance, status="open").count() == 2
    _walk(world, north, "accepted", world.users["enterprise"], since="implementing")
    assert north.deadlines.get(milestone=acceptance).status == "met"


def test_closed_cases_get_none_and_a_custom_milestone_binds_nothing(world):
    programme, north, south = _draft_with_cases(world)
    _walk(world, north, "withdrawn", world.users["enterprise"])
    _milestone(world, programme, kind=Kind.CUSTOM, name="其他节点")
    milestone = _milestone(world, programme)
    assert list(CaseDeadline.objects.filter(milestone__isnull=False).values_list("case_id", flat=True)) == [
        south.pk
    ]
    assert milestone.case_deadlines.count() == 1


def test_editing_the_milestone_moves_the_deadlines(world):
    programme, north, south = _draft_with_cases(world)
    milestone = _milestone(world, programme, due_on=datetime.date(YEAR, 11, 15))
    programme_services.milestone_update(
        milestone=milestone,
        actor=world.users["city"],
        kind=Kind.EVALUATIONS_DONE,
        name="评估完成（调整）",
        due_on=datetime.date(YEAR, 10, 31),
    )
    for case in (north, south):
        row = case.deadlines.get(milestone=milestone)
        assert row.due_on == datetime.date(YEAR, 10, 31) and row.label == "评估完成（调整）"
    event = Event.objects.filter(action="case.deadlines.milestone").order_by("-id").first()
    assert event.after["moved"] == 2 and event.after["due_on"] == f"{YEAR}-10-31"
    # A milestone that binds cases keeps its kind and is not removed.
    with pytest.raises(ProgrammeError):
        programme_services.milestone_update(
            milestone=milestone,
            actor=world.users["city"],
            kind=Kind.CUSTOM,
            name="x",
            due_on=datetime.date(YEAR, 10, 31),
        )
    with pytest.raises(ProgrammeError):
        programme_services.milestone_remove(milestone=milestone, actor=world.users["city"])
    assert CaseDeadline.objects.filter(milestone=milestone).count() == 2


def test_next_deadline_follows_an_earlier_milestone(world):
    programme, north, _south = _draft_with_cases(world)
    north.refresh_from_db()
    before = north.next_due_on
    early = before - datetime.timedelta(days=3)
    milestone = _milestone(world, programme, due_on=max(early, datetime.date(YEAR - 1, 1, 1)))
    north.refresh_from_db()
    assert north.next_due_on == min(before, milestone.due_on)
    if milestone.due_on < before:
        assert north.next_due_kind == "milestone_evaluation"


def test_warned_before_then_accountability_after(world):
    programme, north, _south = _draft_with_cases(world)
    due = TODAY + datetime.timedelta(days=20)
    milestone = _milestone(world, programme, due_on=due)
    row = north.deadlines.get(milestone=milestone)
    with at(due - datetime.timedelta(days=7)):
        warnings_record()
    assert Warning.objects.filter(deadline=row, level="upcoming", threshold_days=7).exists()
    with at(due):
        assert accountability_detect() == 0
        warnings_record()
    assert Warning.objects.filter(deadline=row, level="due").exists()
    with at(due + datetime.timedelta(days=1)):
        accountability_detect()
    record = AccountabilityRecord.objects.get(deadline=row)
    assert record.kind == AccountabilityRecord.Kind.MILESTONE_MISSED
    assert record.duty == "本年度评估完成" and record.responsible_section == "自然科"
    assert "测环办〔2027〕24号" in record.rule_citation and "本年度评估完成" in record.rule_citation
    assert "追责情形" in record.rule_citation


def test_no_accountability_when_the_stage_was_reached(world):
    programme, north, _south = _draft_with_cases(world)
    due = TODAY + datetime.timedelta(days=20)
    milestone = _milestone(world, programme, due_on=due)
    _walk(world, north, "implementing", world.users["enterprise"])
    with at(due + datetime.timedelta(days=1)):
        accountability_detect()
    assert not AccountabilityRecord.objects.filter(deadline__milestone=milestone, case=north).exists()
    assert AccountabilityRecord.objects.filter(deadline__milestone=milestone).count() == 1  # the other case
