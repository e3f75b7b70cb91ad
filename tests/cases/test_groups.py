"""Group audits (行业/园区/集群整体审核): the group's case through the ordinary review machinery, its
members' own cases closed as counted by the group when it passes (环办科财函〔2023〕79号)."""

import pytest

from qingshen.cases import groups
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.group_rule import CODE
from qingshen.cases.models import AuditCase, GroupMember
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.procedures.models import Rule
from qingshen.programmes import groups as programme_groups
from qingshen.programmes.errors import ProgrammeError
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def group(world):
    lead = f.enterprise(world.zone, "高新区管理委员会")
    return programme_groups.group_open(
        programme=world.programme,
        lead=lead,
        lead_kind="park",
        name="高新区整体审核",
        actor=world.users["city"],
    )


def _walk_group(world, group, state, after=""):
    """The group case to `state` through the real services (from the state `after` it is in)."""
    path = PATHS[state][len(PATHS[after]) :] if after else PATHS[state]
    lead_user = getattr(group, "lead_user", None) or f.enterprise_user(group.case.enterprise)
    group.lead_user = lead_user
    walk_case(
        group.case,
        path,
        city_user=world.users["city"],
        enterprise_user=lead_user,
        start=group.case.published_on,
        reason="材料不全",
        level="II",
    )
    group.case.refresh_from_db()


def test_group_opens_a_group_case_of_its_lead(world, group):
    case = group.case
    assert case.kind == "group" and case.state == "listed" and case.programme == world.programme
    assert case.listing.grounds == ["other"] and "高新区整体审核" in case.listing.other_reason
    assert Event.objects.filter(action="group.create").count() == 1


def test_only_the_city_opens_a_group(world):
    lead = f.enterprise(world.zone)
    for who in ("district", "province", "enterprise", "expert"):
        with pytest.raises(ProgrammeError):
            programme_groups.group_open(
                programme=world.programme, lead=lead, lead_kind="park", name="x", actor=world.users[who]
            )
    with pytest.raises(ProgrammeError):  # a nameless group leaves no listing behind
        programme_groups.group_open(
            programme=world.programme, lead=lead, lead_kind="park", name=" ", actor=world.users["city"]
        )
    assert not world.programme.listings.filter(enterprise=lead).exists()


def test_members_added_and_removed_before_review(world, group):
    city = world.users["city"]
    member = groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=city)
    assert member.case == world.case_north
    with pytest.raises(TransitionRefused):  # twice
        groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=city)
    with pytest.raises(TransitionRefused):  # the lead is not its own member
        groups.group_member_add(group_id=group.pk, enterprise=group.case.enterprise, actor=city)
    for who in ("district", "enterprise", "expert"):
        with pytest.raises(CaseNotFound):
            groups.group_member_add(group_id=group.pk, enterprise=world.ent_south, actor=world.users[who])
    groups.group_member_remove(member_id=member.pk, actor=city)
    member.refresh_from_db()
    assert member.removed_at is not None and GroupMember.objects.filter(pk=member.pk).exists()
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=city)  # back again
    _walk_group(world, group, "evaluation_applied")
    with pytest.raises(TransitionRefused):  # frozen once the group applied for evaluation
        groups.group_member_add(group_id=group.pk, enterprise=world.ent_south, actor=city)
    assert group.members.filter(removed_at__isnull=True).count() == 1


def test_group_passing_evaluation_closes_its_members_cases(world, group):
    city = world.users["city"]
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=city)
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_south, actor=city)
    _walk_group(world, group, "evaluating")
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"  # nothing before the pass
    _walk_group(world, group, "implementing", after="evaluating")
    for case in (world.case_north, world.case_south):
        case.refresh_from_db()
        assert case.state == "counted_by_group" and case.counted_by_group_on is not None
        event = Event.objects.get(action="case.transition.count_by_group", object_id=str(case.pk))
        assert f"/groups/{group.pk}/" in event.note
    assert set(group.members.values_list("counted_on", flat=True)) == {group.case.evaluation_passed_on}
    assert Event.objects.filter(action="group.members.counted").count() == 1
    assert group.case.state == "implementing"  # the group itself goes on to acceptance


def test_rule_may_count_members_only_at_acceptance(world, group):
    Rule.objects.filter(code=CODE).update(amount=2)
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=world.users["city"])
    _walk_group(world, group, "implementing")
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"
    _walk_group(world, group, "accepted", after="implementing")
    world.case_north.refresh_from_db()
    assert world.case_north.state == "counted_by_group"


def test_a_failed_group_closes_nothing(world, group):
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=world.users["city"])
    _walk_group(world, group, "evaluation_failed")
    world.case_north.refresh_from_db()
    assert world.case_north.state == "listed"


def test_count_by_group_is_taken_by_no_one_by_hand(world):
    from qingshen.cases import services

    for who in ("city", "expert", "enterprise"):
        with pytest.raises((TransitionRefused, CaseNotFound)):
            services.case_transition(
                case_id=world.case_north.pk, actor=world.users[who], action="count_by_group"
            )
    assert AuditCase.objects.get(pk=world.case_north.pk).state == "listed"
