"""A discharge permit entered or changed by hand through the API, as the registry's permit form: the city
or district bureau over the enterprise writes (registry.permits, logged); who sees the enterprise but may
not edit it is refused (403), others are told nothing exists (404); bad input is 400 beside its field and
a number recorded for another permit 409."""

import pytest

from qingshen.registry.models import Permit
from qingshen.registry.permits import permit_save
from qingshen.trail.models import Event

SHAPE = {"code", "message", "fields"}
LIMITS = [
    {"pollutant": "化学需氧量", "outlet": "DW001", "limit_value": "50", "unit": "mg/L"},
    {"pollutant": "氨氮", "limit_value": "5", "unit": "mg/L"},
]


def body(ent, **changes):
    return {
        "number": f"{ent.uscc}001P",
        "management_class": "key",
        "issuing_authority": "北区生态环境局",
        "valid_from": "2024-01-01",
        "valid_to": "2028-12-31",
        "pollutants": LIMITS,
        **changes,
    }


def url(ent, permit=None):
    return f"/api/v1/enterprises/{ent.pk}/permits/" + (f"{permit.pk}/" if permit else "")


@pytest.mark.parametrize("role", ["district", "city"])
def test_the_bureau_records_then_changes_a_permit(world, api_as, role):
    ent = world.ent_north
    client = api_as(world.users[role], "write")
    created = client.post(url(ent), body(ent, number=f" {ent.uscc.lower()}001p "), format="json")
    assert created.status_code == 201, created.content
    permit = Permit.objects.get(enterprise=ent)
    assert created.json()["id"] == permit.pk and created.json()["number"] == f"{ent.uscc}001P"
    assert sorted(permit.pollutants.values_list("pollutant", "outlet")) == [
        ("化学需氧量", "DW001"),
        ("氨氮", ""),
    ]
    assert Event.objects.filter(action="permit.create", actor=world.users[role]).count() == 1

    changed = client.put(
        url(ent, permit), body(ent, valid_to="2029-06-30", pollutants=LIMITS[:1]), format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["valid_to"] == "2029-06-30" and len(changed.json()["pollutants"]) == 1
    event = Event.objects.filter(action="permit.update").get()
    assert event.before["valid_to"] == "2028-12-31" and event.after["valid_to"] == "2029-06-30"
    # The permit as it is changes nothing and logs nothing.
    again = client.put(
        url(ent, permit), body(ent, valid_to="2029-06-30", pollutants=LIMITS[:1]), format="json"
    )
    assert again.status_code == 200 and Event.objects.filter(action="permit.update").count() == 1
    assert client.get(f"/api/v1/permits/{permit.pk}/").json()["valid_to"] == "2029-06-30"


def test_a_registration_needs_no_issuing_authority(world, api_as):
    ent = world.ent_north
    sent = body(ent, management_class="registration", issuing_authority="", pollutants=[])
    response = api_as(world.users["district"], "write").post(url(ent), sent, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("role", ["province", "supervisor", "enterprise"])
def test_who_sees_the_enterprise_but_may_not_edit_it_is_403(world, api_as, role):
    ent = world.ent_north
    client = api_as(world.users[role], "write")
    response = client.post(url(ent), body(ent), format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Permit.objects.exists()


@pytest.mark.parametrize("role", ["district_south", "enterprise_south", "expert", "auditor", "sysadmin"])
def test_an_enterprise_outside_the_scope_is_404(world, api_as, role):
    ent = world.ent_north
    permit = permit_save(actor=world.users["district"], enterprise=ent, **{**body(ent), "pollutants": []})
    client = api_as(world.users[role], "write")
    created = client.post(url(ent), body(ent, number=f"{ent.uscc}002P"), format="json")
    assert created.status_code == 404 and set(created.json()) == SHAPE
    assert client.put(url(ent, permit), body(ent), format="json").status_code == 404
    assert Permit.objects.count() == 1


def test_a_permit_of_another_enterprise_is_404_and_a_read_token_403(world, api_as):
    north, south = world.ent_north, world.ent_south
    theirs = permit_save(
        actor=world.users["district_south"], enterprise=south, **{**body(south), "pollutants": []}
    )
    city = api_as(world.users["city"], "write")
    assert city.put(url(north, theirs), body(north), format="json").status_code == 404
    assert (
        city.put(f"/api/v1/enterprises/{north.pk}/permits/x/", body(north), format="json").status_code == 404
    )
    reader = api_as(world.users["district"], "read")
    assert reader.post(url(north), body(north), format="json").status_code == 403
    assert Permit.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"number": "91500000MA5U0000001P"}, "number"),
        ({"number": "x" * 41}, "number"),
        ({"management_class": "none"}, "management_class"),
        ({"issuing_authority": ""}, "issuing_authority"),
        ({"valid_to": "2023-12-31"}, "valid_to"),
        ({"valid_from": "2024-02-30"}, "valid_from"),
        (
            {"pollutants": [{"pollutant": "氨氮", "limit_value": "-1", "unit": "mg/L"}]},
            "pollutants.0.limit_value",
        ),
        ({"pollutants": [{"pollutant": "", "limit_value": "1", "unit": "mg/L"}]}, "pollutants.0.pollutant"),
        (
            {"pollutants": [{"pollutant": "氨氮", "limit_value": "1e30", "unit": "mg/L"}]},
            "pollutants.0.limit_value",
        ),
        ({"pollutants": [LIMITS[1], LIMITS[1]]}, "pollutants"),
        ({"pollutants": "氨氮"}, "pollutants.non_field_errors"),
    ],
)
def test_bad_input_is_400_beside_its_field_and_changes_nothing(world, api_as, changes, field):
    ent = world.ent_north
    response = api_as(world.users["district"], "write").post(url(ent), body(ent, **changes), format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == SHAPE and field in response.json()["fields"], response.json()
    assert not Permit.objects.exists() and not Event.objects.filter(action__startswith="permit.").exists()


def test_another_enterprises_number_is_refused_and_a_recorded_number_is_409(world, api_as):
    north = world.ent_north
    client = api_as(world.users["city"], "write")
    wrong = client.post(url(north), body(north, number=f"{world.ent_south.uscc}001P"), format="json")
    assert wrong.status_code == 400 and "number" in wrong.json()["fields"]
    first = client.post(url(north), body(north), format="json")
    assert first.status_code == 201
    second = client.post(url(north), body(north, valid_from="2025-01-01"), format="json")
    assert second.status_code == 409 and second.json()["code"] == "conflict", second.content
    assert Permit.objects.count() == 1
