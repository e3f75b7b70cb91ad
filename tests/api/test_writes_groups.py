"""Group audits through the API: the city bureau opens a group and forms its members with the page's
services; each role sees the groups in its scope (a member enterprise its own group, 404 otherwise);
a refused role is 403, bad input 400 and a step the group's state refuses 409, each in the one shape."""

import pytest

from qingshen.cases.models import AuditCase, GroupAudit, GroupMember
from qingshen.trail.models import Event
from tests import factories as f


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


@pytest.fixture
def lead(world):
    return f.enterprise(world.zone, "高新区管理委员会")


@pytest.fixture
def group(world, lead, api_as):
    body = {"programme": world.programme.pk, "name": "高新区整体审核", "lead_kind": "park", "lead": lead.pk}
    response = post(api_as(world.users["city"], "write"), "/api/v1/groups/", body)
    assert response.status_code == 201, response.content
    return GroupAudit.objects.get(pk=response.json()["id"])


def test_the_city_opens_a_group_and_forms_its_members(world, group, lead, api_as):
    assert group.case.kind == "group" and group.case.enterprise == lead
    city = api_as(world.users["city"], "write")
    url = f"/api/v1/groups/{group.pk}/members/"
    response = post(city, url, {"enterprise": world.ent_north.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead"] == lead.pk and body["state"] == "listed" and body["members_editable"] is True
    [member] = body["members"]
    assert member["enterprise"] == world.ent_north.pk and member["case"] == world.case_north.pk
    assert post(city, url, {"enterprise": world.ent_south.pk}).status_code == 201
    listed = city.get("/api/v1/groups/", {"programme": world.programme.pk}).json()["results"]
    assert [(g["id"], g["member_count"]) for g in listed] == [(group.pk, 2)]

    removed = city.delete(f"{url}{member['id']}/")
    assert removed.status_code == 200 and [m["enterprise"] for m in removed.json()["members"]] == [
        world.ent_south.pk
    ]
    assert GroupMember.objects.get(pk=member["id"]).removed_at is not None  # marked, never deleted
    assert city.delete(f"{url}{member['id']}/").status_code == 404
    assert city.delete(f"{url}abc/").json()["code"] == "not_found"
    actions = set(Event.objects.filter(action__startswith="group.").values_list("action", flat=True))
    assert actions == {"group.create", "group.member.add", "group.member.remove"}


def test_each_role_sees_the_groups_in_its_scope(world, group, api_as):
    post(
        api_as(world.users["city"], "write"),
        f"/api/v1/groups/{group.pk}/members/",
        {"enterprise": world.ent_north.pk},
    )
    detail = f"/api/v1/groups/{group.pk}/"
    # The lead is in the zone, under the city: the north district does not see the group's case.
    assert api_as(world.users["district"]).get(detail).status_code == 404
    assert api_as(world.users["district"]).get("/api/v1/groups/").json()["results"] == []
    # A member enterprise sees its group (its own case beside it), not the other enterprise.
    member = api_as(world.users["enterprise"]).get(detail)
    assert member.status_code == 200 and member.json()["members"][0]["case"] == world.case_north.pk
    assert member.json()["members_editable"] is False
    other = api_as(world.users["enterprise_south"]).get(detail)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert api_as(world.users["province"]).get(detail).status_code == 200
    assert api_as(world.users["sysadmin"]).get("/api/v1/groups/").json()["results"] == []


def test_refused_roles_bad_input_and_state(world, group, lead, api_as):
    url = f"/api/v1/groups/{group.pk}/members/"
    province = post(api_as(world.users["province"], "write"), url, {"enterprise": world.ent_north.pk})
    assert province.status_code == 403 and province.json()["code"] == "permission_denied"
    assert post(api_as(world.users["enterprise"], "write"), url, {"enterprise": 1}).status_code == 404
    reader = post(api_as(world.users["city"]), url, {"enterprise": world.ent_north.pk})
    assert reader.status_code == 403  # a read-scope token
    city = api_as(world.users["city"], "write")
    for bad in ({}, {"enterprise": "x"}, {"enterprise": 999999}):
        response = post(city, url, bad)
        assert response.status_code == 400 and set(response.json()) == {"code", "message", "fields"}
        assert "enterprise" in response.json()["fields"]
    # The lead is not its own member: the service refuses, 409 with the group's state.
    refused = post(city, url, {"enterprise": lead.pk})
    assert refused.status_code == 409 and refused.json()["state"] == "listed"
    create = {"programme": world.programme.pk, "name": "再一个", "lead_kind": "park", "lead": lead.pk}
    again = post(city, "/api/v1/groups/", create)
    assert again.status_code == 400 and "lead" in again.json()["fields"]  # already on the list
    assert post(city, "/api/v1/groups/", {**create, "lead_kind": "nonsense"}).status_code == 400
    assert post(city, "/api/v1/groups/", {**create, "programme": 999999}).json()["fields"]["programme"]
    assert post(api_as(world.users["district"], "write"), "/api/v1/groups/", create).status_code == 403
    # Once the group case has applied for review its members no longer change: 409.
    AuditCase.objects.filter(pk=group.case_id).update(state="evaluation_applied")
    late = post(api_as(world.users["city"], "write"), url, {"enterprise": world.ent_north.pk})
    assert late.status_code == 409 and late.json()["state"] == "evaluation_applied"
    assert GroupAudit.objects.count() == 1 and not GroupMember.objects.exists()
