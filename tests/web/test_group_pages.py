"""The staff pages of group audits: open one on a published list, add and remove members, the case
pages that link the group, the summary and the public results counting groups and members apart."""

import pytest
from django.urls import reverse

from qingshen.cases import groups
from qingshen.cases.models import GroupAudit
from qingshen.demo.case_walk import PATHS, walk_case
from tests import factories as f


@pytest.fixture
def group(world):
    client_lead = f.enterprise(world.zone, "高新区管理委员会")
    from qingshen.programmes.groups import group_open

    return group_open(
        programme=world.programme,
        lead=client_lead,
        lead_kind="park",
        name="高新区整体审核",
        actor=world.users["city"],
    )


def test_city_opens_a_group_and_adds_then_removes_a_member(world, client_for):
    client = client_for(world.users["city"])
    lead = f.enterprise(world.zone, "化工园区管委会")
    url = reverse("programme-groups", args=[world.programme.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'id="group-open"' in page.content
    bad = client.post(url, {"name": "", "lead_kind": "park", "lead": lead.pk})
    assert bad.status_code == 200 and not GroupAudit.objects.exists()
    response = client.post(url, {"name": "化工园区整体审核", "lead_kind": "park", "lead": lead.pk})
    group = GroupAudit.objects.get()
    assert response.status_code == 302 and response.url == reverse("group-detail", args=[group.pk])
    assert group.case.kind == "group" and group.case.enterprise == lead
    detail = reverse("group-detail", args=[group.pk])
    assert client.post(detail, {"enterprise": world.ent_north.pk}).status_code == 302
    member = group.members.get()
    assert member.case == world.case_north
    page = client.get(detail)
    assert "北区化工有限公司" in page.content.decode() and b'id="member-add"' in page.content
    case_page = client.get(reverse("case-detail", args=[world.case_north.pk]))
    assert b'id="case-membership"' in case_page.content
    remove = reverse("group-member-remove", args=[group.pk, member.pk])
    assert client.post(remove).status_code == 302
    member.refresh_from_db()
    assert member.removed_at is not None


@pytest.mark.parametrize("who", ["enterprise_south", "agency", "expert", "auditor", "sysadmin"])
def test_refused_users_do_not_find_the_group(world, group, client_for, who):
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=world.users["city"])
    member = group.members.get()
    client = client_for(world.users[who])
    assert client.get(reverse("group-detail", args=[group.pk])).status_code == 404
    assert client.post(reverse("group-member-remove", args=[group.pk, member.pk])).status_code == 404
    assert (
        client.post(reverse("group-detail", args=[group.pk]), {"enterprise": world.ent_south.pk}).status_code
        == 404
    )
    assert group.members.filter(removed_at__isnull=True).count() == 1


def test_district_sees_but_may_not_change_nor_open(world, group, client_for):
    client = client_for(world.users["district"])  # north: the group's lead is in the zone, not north
    assert client.get(reverse("group-detail", args=[group.pk])).status_code == 404
    city_wide = client_for(world.users["supervisor"])
    page = city_wide.get(reverse("group-detail", args=[group.pk]))
    assert page.status_code == 200 and b'id="member-add"' not in page.content
    assert (
        city_wide.post(
            reverse("group-detail", args=[group.pk]), {"enterprise": world.ent_south.pk}
        ).status_code
        == 404
    )
    lead = f.enterprise(world.zone)
    url = reverse("programme-groups", args=[world.programme.pk])
    assert city_wide.post(url, {"name": "x", "lead_kind": "park", "lead": lead.pk}).status_code == 404
    assert GroupAudit.objects.count() == 1


def test_member_enterprise_sees_its_group_and_public_and_summary_count_apart(world, group, client_for):
    from qingshen.reports.figures import summary_table

    city = world.users["city"]
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_north, actor=city)
    groups.group_member_add(group_id=group.pk, enterprise=world.ent_south, actor=city)
    walk_case(
        group.case,
        PATHS["implementing"],
        city_user=city,
        enterprise_user=f.enterprise_user(group.case.enterprise),
        start=group.case.published_on,
    )
    member_client = client_for(world.users["enterprise"])
    page = member_client.get(reverse("group-detail", args=[group.pk]))
    assert page.status_code == 200 and b'id="group-case"' not in page.content  # not the group's own case
    from qingshen.cases import scoping

    table = summary_table(
        programme=world.programme,
        cases=scoping.cases_visible(city),
        districts=[world.north, world.south, world.zone],
    )
    t = table.total
    assert (t["listed"], t["groups"], t["groups_passed"]) == (2, 1, 1)  # the lead's case is not a listed case
    assert (t["group_members"], t["group_members_counted"]) == (2, 2)
    assert t["evaluations"] == 0  # the group's evaluation is the group's, not a member's
    public = client_for(world.users["auditor"]).get(reverse("public-results"))
    body = public.content.decode()
    assert 'id="public-groups"' in body and "高新区整体审核" in body
    assert world.ent_north.uscc in body and world.ent_south.uscc in body
