"""A case's audit focus and cleaner production targets through the API, as the portal's targets page:
read by whoever sees the case, edited by the enterprise (or its agency) in the states the service
allows (else 409), with the service's rules as 400 beside their fields; out of scope 404, other roles 403."""

import datetime

import pytest
from django.utils import timezone

from qingshen.cases import services as case_services
from qingshen.cases.models import AuditCase, Target
from qingshen.trail.models import Event

TARGET = {
    "name": "单位产品综合能耗",
    "unit": "kgce/t",
    "direction": "lower",
    "baseline": "120",
    "target_value": "108",
}


def url(case, tail=""):
    return f"/api/v1/cases/{case.pk}/targets/{tail}"


def target_body(case, **changes):
    return {**TARGET, "target_year": case.published_on.year, **changes}


def test_the_enterprise_sets_focus_and_targets_and_the_bureau_reads_them(world, api_as):
    case = world.case_north
    client = api_as(world.users["enterprise"], "write")
    focus = client.put(
        f"/api/v1/cases/{case.pk}/focus/", {"audit_focus": "电镀线的用水与含铬废水"}, format="json"
    )
    assert focus.status_code == 200 and focus.json()["audit_focus"] == "电镀线的用水与含铬废水"
    added = client.post(url(case), target_body(case), format="json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["audit_focus"] == "电镀线的用水与含铬废水" and body["may_plan"] is True
    [row] = body["targets"]
    assert row["target"]["name"] == "单位产品综合能耗" and row["status"] == "unknown"
    pk = row["target"]["id"]
    changed = client.patch(url(case, f"{pk}/"), {"target_value": "100"}, format="json")
    assert changed.status_code == 200 and changed.json()["targets"][0]["target"]["target_value"] == "100.0000"
    assert Event.objects.filter(action="target.save").count() == 2
    assert Event.objects.filter(action="case.focus.save").count() == 1
    city = api_as(world.users["city"])
    seen = city.get(url(case)).json()
    assert [r["target"]["id"] for r in seen["targets"]] == [pk] and seen["may_plan"] is False
    assert city.get(f"/api/v1/cases/{case.pk}/focus/").json()["audit_focus"] == "电镀线的用水与含铬废水"
    client = api_as(world.users["enterprise"], "write")  # one client: its token is the last login's
    withdrawn = client.post(url(case, f"{pk}/withdraw/"), format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["targets"] == []
    assert Target.objects.get(pk=pk).withdrawn
    assert client.patch(url(case, f"{pk}/"), {"unit": "t"}, format="json").status_code == 404


def test_the_rules_refuse_beside_their_fields_and_write_nothing(world, api_as):
    case = world.case_north
    client = api_as(world.users["enterprise"], "write")
    above = client.post(url(case), target_body(case, target_value="130"), format="json")
    assert above.status_code == 400 and list(above.json()["fields"]) == ["target_value"]
    year = client.post(url(case), target_body(case, target_year=1990), format="json")
    assert year.status_code == 400 and "target_year" in year.json()["fields"]
    unknown = client.post(url(case), target_body(case, indicator="no-such"), format="json")
    assert unknown.status_code == 400 and "indicator" in unknown.json()["fields"]
    huge = client.post(url(case), target_body(case, baseline="1e40"), format="json")
    assert huge.status_code == 400 and "baseline" in huge.json()["fields"]
    empty = client.put(f"/api/v1/cases/{case.pk}/focus/", {"audit_focus": ""}, format="json")
    assert empty.status_code == 400 and "audit_focus" in empty.json()["fields"]
    assert not Target.objects.exists() and not Event.objects.filter(action__startswith="target.").exists()


def test_the_state_refuses_as_409(world, api_as):
    case = world.case_north
    client = api_as(world.users["enterprise"], "write")
    pk = client.post(url(case), target_body(case), format="json").json()["targets"][0]["target"]["id"]
    early = client.post(url(case, f"{pk}/actual/"), {"actual": "100"}, format="json")
    assert early.status_code == 409 and early.json()["state"] == case.state
    AuditCase.objects.filter(pk=case.pk).update(state="implementing")
    late = client.post(url(case), target_body(case), format="json")
    assert late.status_code == 409 and late.json()["state"] == "implementing"
    focus = client.put(f"/api/v1/cases/{case.pk}/focus/", {"audit_focus": "晚了"}, format="json")
    assert focus.status_code == 409
    actual = client.post(url(case, f"{pk}/actual/"), {"actual": "100"}, format="json")
    assert actual.status_code == 200, actual.content
    [row] = actual.json()["targets"]
    assert row["status"] == "met" and row["derived"] is False and actual.json()["may_enter_actuals"]
    negative = client.post(url(case, f"{pk}/actual/"), {"actual": "-1"}, format="json")
    assert negative.status_code == 400 and "actual" in negative.json()["fields"]


@pytest.mark.parametrize("role", ["city", "district", "supervisor"])
def test_the_bureau_reads_but_does_not_edit(world, api_as, role):
    case = world.case_north
    response = api_as(world.users[role], "write").post(url(case), target_body(case), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert api_as(world.users[role]).get(url(case)).status_code == 200


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "expert", "auditor"])
def test_a_case_out_of_scope_is_404(world, api_as, role):
    case = world.case_north
    client = api_as(world.users[role], "write")
    assert client.get(url(case)).status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/focus/").status_code == 404
    response = client.post(url(case), target_body(case), format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_delegated_agency_edits_and_a_read_token_does_not(world, api_as):
    case = world.case_north
    case_services.delegation_create(
        case=case,
        agency=world.agency,
        actor=world.users["enterprise"],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert (
        api_as(world.users["agency"], "write").post(url(case), target_body(case), format="json").status_code
        == 201
    )
    read = api_as(world.users["enterprise"], "read").post(url(case), target_body(case), format="json")
    assert read.status_code == 403 and Target.objects.count() == 1
