"""Voluntary audits through the API: an enterprise on no list registers one (the portal's service), the
bureaus over it read it with its registration and acknowledgement, the bureau of its jurisdiction
acknowledges it once. Scope 404, role 403, refusals 409, in the one error shape."""

import pytest
from django.utils import timezone

from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase
from qingshen.trail.models import Event
from tests import factories as f

SHAPE = {"code", "message", "fields"}


@pytest.fixture
def volunteer(world):
    return f.enterprise_user(f.enterprise(world.north, "北区自愿审核纺织有限公司"))


@pytest.fixture
def registered(world, volunteer, api_as):
    response = api_as(volunteer, "write").post("/api/v1/voluntary/", format="json")
    assert response.status_code == 201, response.content
    return AuditCase.objects.get(pk=response.json()["id"])


def test_an_enterprise_registers_and_its_bureau_acknowledges(world, volunteer, registered, api_as):
    assert registered.kind == CaseKind.VOLUNTARY and registered.state == "auditing"
    assert registered.programme == world.programme
    mine = api_as(volunteer).get(f"/api/v1/voluntary/{registered.pk}/").json()
    assert mine["registered_on"] == timezone.localdate().isoformat() and mine["acknowledged_on"] is None
    # The mandatory cases are not voluntary ones.
    city = api_as(world.users["city"])
    assert [c["id"] for c in city.get("/api/v1/voluntary/").json()["results"]] == [registered.pk]
    assert city.get("/api/v1/voluntary/", {"acknowledged": "true"}).json()["results"] == []
    assert city.get(f"/api/v1/voluntary/{world.case_north.pk}/").status_code == 404

    url = f"/api/v1/voluntary/{registered.pk}/acknowledgement/"
    done = api_as(world.users["district"], "write").post(url, format="json")
    assert done.status_code == 200 and done.json()["acknowledged_on"] == timezone.localdate().isoformat()
    again = api_as(world.users["city"], "write").post(url, format="json")
    assert again.status_code == 409 and again.json()["state"] == "auditing" and set(again.json()) >= SHAPE
    assert [c["id"] for c in city.get("/api/v1/voluntary/", {"acknowledged": "true"}).json()["results"]] == [
        registered.pk
    ]
    actions = Event.objects.filter(object_id=str(registered.pk)).values_list("action", flat=True)
    assert {"case.voluntary.register", "case.voluntary.acknowledge"} <= set(actions)


def test_who_may_read_and_who_may_act(world, volunteer, registered, api_as):
    detail = f"/api/v1/voluntary/{registered.pk}/"
    for role in ("district_south", "enterprise", "enterprise_south", "agency", "sysadmin"):
        response = api_as(world.users[role]).get(detail)
        assert response.status_code == 404 and set(response.json()) == SHAPE, role
    assert api_as(world.users["province"]).get(detail).status_code == 200
    ack = f"{detail}acknowledgement/"
    # The other district does not see it; the enterprise and the province may not acknowledge.
    assert api_as(world.users["district_south"], "write").post(ack).status_code == 404
    for who in (volunteer, world.users["province"]):
        response = api_as(who, "write").post(ack)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert api_as(world.users["district"], "read").post(ack).status_code == 403  # a read-scope token
    # Staff register nothing.
    for role in ("city", "district", "agency"):
        response = api_as(world.users[role], "write").post("/api/v1/voluntary/")
        assert response.status_code == 403, role
    assert api_as(world.users["city"]).get("/api/v1/voluntary/999999/").status_code == 404
    assert api_as(world.users["city"]).get("/api/v1/voluntary/", {"state": "nonsense"}).status_code == 400
    assert AuditCase.objects.filter(kind=CaseKind.VOLUNTARY).count() == 1


def test_a_listed_enterprise_or_a_second_round_is_refused_409(world, volunteer, registered, api_as):
    listed = api_as(world.users["enterprise"], "write").post("/api/v1/voluntary/")
    assert listed.status_code == 409 and "2026" in listed.json()["message"]
    second = api_as(volunteer, "write").post("/api/v1/voluntary/")
    assert second.status_code == 409 and set(second.json()) >= SHAPE
    assert AuditCase.objects.filter(kind=CaseKind.VOLUNTARY).count() == 1
