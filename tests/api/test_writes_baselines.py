"""Baselines through the API: the enterprise (or its delegated agency) sets them with the options page's
rules; staff who see the case are refused (403), others do not find it (404); every write is logged."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from qingshen.cases import options as option_services
from qingshen.cases.models import Baseline, Indicator
from qingshen.trail.models import Event


def url(case):
    return f"/api/v1/cases/{case.pk}/baselines/"


def test_the_enterprise_sets_and_replaces_a_baseline_and_it_is_logged(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    answer = client.post(
        url(world.case_north),
        {"indicator_code": "cod", "value": "120.5", "source": "2025年监测"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["indicator_code"] == "cod" and Decimal(body["value"]) == Decimal("120.5")
    assert body["year"] == world.case_north.published_on.year - 1
    again = client.post(url(world.case_north), {"indicator_code": "cod", "value": "130"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Baseline.objects.filter(case=world.case_north).count() == 1
    assert Event.objects.filter(action="baseline.save").count() == 2
    listed = client.get(url(world.case_north)).json()
    assert [b["indicator_code"] for b in listed] == ["cod"] and Decimal(listed[0]["value"]) == 130


@pytest.mark.parametrize(
    "sent, field",
    [
        ({"indicator_code": "nope", "value": "1"}, "indicator_code"),
        ({"indicator_code": "cod", "value": "-1"}, "value"),
        ({"indicator_code": "cod", "value": "abc"}, "value"),
        ({"indicator_code": "cod", "value": "1", "year": 1800}, "year"),
        ({"indicator_code": "cod", "value": "1", "source": "a\x00b"}, "source"),
    ],
)
def test_bad_input_is_400_beside_its_field(world, api_as, sent, field):
    answer = api_as(world.users["enterprise"], "write").post(url(world.case_north), sent, format="json")
    assert answer.status_code == 400 and any(field in k for k in answer.json()["fields"]), answer.json()
    assert not Baseline.objects.exists()


def test_a_baseline_below_the_declared_reductions_is_refused(world, api_as):
    enterprise = world.users["enterprise"]
    cod = Indicator.objects.get(code="cod")
    option_services.baseline_save(case=world.case_north, actor=enterprise, indicator=cod, value=Decimal(100))
    option_services.option_save(
        case=world.case_north,
        actor=enterprise,
        data=option_services.OptionData(
            code="F1",
            name="余热回收",
            cost_class="low",
            investment=Decimal(12),
            planned_on=timezone.localdate() - datetime.timedelta(days=5),
            benefits={"cod": (Decimal(30), None)},
        ),
    )
    answer = api_as(enterprise, "write").post(
        url(world.case_north), {"indicator_code": "cod", "value": "10"}, format="json"
    )
    assert answer.status_code == 400 and "value" in answer.json()["fields"]
    assert Baseline.objects.get().value == 100


@pytest.mark.parametrize("role", ["city", "district", "province", "supervisor"])
def test_staff_read_but_may_not_set(world, api_as, role):
    client = api_as(world.users[role], "write")
    assert client.get(url(world.case_north)).status_code == 200
    assert (
        client.post(url(world.case_north), {"indicator_code": "cod", "value": "1"}, format="json").status_code
        == 403
    )


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "expert"])
def test_outside_the_scope_is_404(world, api_as, role):
    client = api_as(world.users[role], "write")
    assert client.get(url(world.case_north)).status_code == 404
    assert (
        client.post(url(world.case_north), {"indicator_code": "cod", "value": "1"}, format="json").status_code
        == 404
    )


def test_a_read_token_may_not_set(world, api_as):
    client = api_as(world.users["enterprise"], "read")
    assert client.get(url(world.case_north)).status_code == 200
    assert (
        client.post(url(world.case_north), {"indicator_code": "cod", "value": "1"}, format="json").status_code
        == 403
    )
