"""Discharge permits in the registry (issue 19): the number's format, the bureau's page to record and
change a permit with its limits, and who may see it (out of scope: 404)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from qingshen.registry import permit_numbers
from qingshen.registry.models import Permit
from qingshen.registry.permit_selectors import permit_current
from qingshen.registry.permits import permit_save
from qingshen.registry.services import RegistryError
from qingshen.trail.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are compared in English (their msgids)."""
    with translation.override("en"):
        yield


VALID = {
    "management_class": "key",
    "issuing_authority": "测试市生态环境局",
    "valid_from": datetime.date(2024, 1, 1),
    "valid_to": datetime.date(2028, 12, 31),
}
LIMITS = [{"pollutant": "化学需氧量", "outlet": "DW001", "limit_value": "50", "unit": "mg/L"}]


def test_permit_number_is_credit_code_three_digits_and_a_letter(world):
    code = world.ent_north.uscc
    assert permit_numbers.validate(f" {code.lower()}001p ", uscc=code) == f"{code}001P"
    bad = {
        f"{code}01P": "22 characters",
        f"{code[:17]}{'0' if code[17] != '0' else '1'}001P": "credit code",
        f"{code}0012": "3 digits and a letter",
        f"{world.ent_south.uscc}001P": "not the enterprise",
    }
    for number, reason in bad.items():
        with pytest.raises(permit_numbers.InvalidPermitNumber) as exc:
            permit_numbers.validate(number, uscc=code)
        assert reason in str(exc.value.reason), number


def test_permit_saved_with_its_limits_and_logged(world):
    actor = world.users["district"]
    number = f"{world.ent_north.uscc}001P"
    permit = permit_save(actor=actor, enterprise=world.ent_north, number=number, pollutants=LIMITS, **VALID)
    assert [(p.pollutant, p.limit_value, p.unit) for p in permit.pollutants.all()] == [
        ("化学需氧量", 50, "mg/L")
    ]
    assert Event.objects.filter(action="permit.create", object_id=str(permit.pk)).count() == 1
    # The same values again: nothing changes, nothing is logged.
    permit_save(
        actor=actor, enterprise=world.ent_north, number=number, pollutants=LIMITS, permit=permit, **VALID
    )
    assert not Event.objects.filter(action="permit.update").exists()
    permit_save(
        actor=actor, enterprise=world.ent_north, number=number, pollutants=[], permit=permit,
        **{**VALID, "valid_to": datetime.date(2029, 6, 30)},
    )  # fmt: skip
    assert Event.objects.filter(action="permit.update").count() == 1 and not permit.pollutants.exists()
    assert permit_current(world.ent_north, datetime.date(2029, 6, 30)).pk == permit.pk
    assert permit_current(world.ent_north, datetime.date(2029, 7, 1)) is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"number": "91500000MA5U0000001P"}, "credit code"),
        ({"valid_to": datetime.date(2023, 1, 1)}, "cannot end before"),
        ({"issuing_authority": ""}, "issuing authority"),
    ],
)
def test_bad_permit_refused_and_nothing_written(world, changes, message):
    data = {"number": f"{world.ent_north.uscc}001P", **VALID, **changes}
    with pytest.raises(RegistryError) as exc:
        permit_save(actor=world.users["district"], enterprise=world.ent_north, pollutants=LIMITS, **data)
    assert message in exc.value.message
    assert not Permit.objects.exists()


def test_other_district_may_not_record_a_permit(world):
    with pytest.raises(RegistryError):
        permit_save(
            actor=world.users["district_south"], enterprise=world.ent_north,
            number=f"{world.ent_north.uscc}001P", pollutants=[], **VALID,
        )  # fmt: skip
    assert not Permit.objects.exists()


def test_permit_pages_for_the_bureau_and_refused_users(world, client_for):
    ent = world.ent_north
    url = reverse("enterprise-permits", args=[ent.pk])
    client = client_for(world.users["district"])
    response = client.post(
        reverse("permit-create", args=[ent.pk]),
        {
            "number": f"{ent.uscc}001P",
            "management_class": "simplified",
            "issuing_authority": "北区生态环境局",
            "valid_from": "2024-01-01",
            "valid_to": "2028-12-31",
            "pollutants": "化学需氧量, DW001, 50, mg/L\n氨氮，，5，mg/L",
        },
    )
    assert response.status_code == 302
    permit = Permit.objects.get(enterprise=ent)
    assert sorted(permit.pollutants.values_list("pollutant", "outlet")) == [
        ("化学需氧量", "DW001"),
        ("氨氮", ""),
    ]
    page = client.get(url)
    assert page.status_code == 200 and permit.number in page.content.decode()
    # A bad line is shown on the form and changes nothing.
    bad = client.post(
        reverse("permit-edit", args=[ent.pk, permit.pk]),
        {**{k: getattr(permit, k) for k in ("number", "management_class", "issuing_authority")},
         "valid_from": "2024-01-01", "valid_to": "2028-12-31", "pollutants": "氨氮, , five, mg/L"},
    )  # fmt: skip
    assert bad.status_code == 200 and ("Line 1" in bad.content.decode() or "第 1 行" in bad.content.decode())
    assert permit.pollutants.count() == 2
    assert client_for(world.users["city"]).get(url).status_code == 200
    assert client_for(world.users["supervisor"]).get(url).status_code == 200
    for role in ("district_south", "enterprise_south", "enterprise", "expert", "sysadmin"):
        assert client_for(world.users[role]).get(url).status_code == 404, role
    assert (
        client_for(world.users["supervisor"]).get(reverse("permit-create", args=[ent.pk])).status_code == 404
    )
    other = client_for(world.users["district_south"])
    assert other.post(reverse("permit-edit", args=[ent.pk, permit.pk]), {}).status_code == 404


def test_enterprise_permit_number_follows_the_permit_in_force(world):
    """Recording a permit, replacing it by a renewal in force and changing an old one keep the
    enterprise's number that of the permit in force today, logged; a permit not yet in force does not."""
    actor, ent = world.users["district"], world.ent_north
    today = datetime.date.today()
    span = {
        "valid_from": today - datetime.timedelta(days=30),
        "valid_to": today + datetime.timedelta(days=300),
    }
    first = permit_save(actor=actor, enterprise=ent, number=f"{ent.uscc}001P", pollutants=[],
                        **{**VALID, **span})  # fmt: skip
    ent.refresh_from_db()
    assert ent.permit_number == first.number
    assert Event.objects.filter(action="enterprise.permit_number", object_id=str(ent.pk)).count() == 1
    later = {
        "valid_from": today + datetime.timedelta(days=301),
        "valid_to": today + datetime.timedelta(days=2000),
    }
    permit_save(actor=actor, enterprise=ent, number=f"{ent.uscc}002P", pollutants=[], **{**VALID, **later})
    ent.refresh_from_db()
    assert ent.permit_number == first.number  # the renewal is not in force yet
    renewal = permit_save(actor=actor, enterprise=ent, number=f"{ent.uscc}003P", pollutants=[],
                          **{**VALID, "valid_from": today - datetime.timedelta(days=1),
                             "valid_to": today + datetime.timedelta(days=1500)})  # fmt: skip
    ent.refresh_from_db()
    assert ent.permit_number == renewal.number
    assert Event.objects.filter(action="enterprise.permit_number", object_id=str(ent.pk)).count() == 2
