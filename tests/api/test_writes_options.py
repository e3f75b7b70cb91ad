"""Options and benefits through the API: the enterprise (or its delegated agency) adds and changes them
with the options page's rules (cases.options); others are refused; every write is logged."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from qingshen.cases import options as option_services
from qingshen.cases.models import Benefit, Indicator, Option
from qingshen.trail.models import Event


def add_url(case):
    return f"/api/v1/cases/{case.pk}/options/"


def option_url(option_id):
    return f"/api/v1/options/{option_id}/"


def body(**changes):
    today = timezone.localdate()
    return {
        "code": "F1",
        "name": "余热回收",
        "cost_class": "low",
        "investment": "12.50",
        "planned_on": (today - datetime.timedelta(days=5)).isoformat(),
        "benefits": [{"indicator_code": "cod", "expected": "3.5"}],
        **changes,
    }


@pytest.fixture
def baseline(world):
    return option_services.baseline_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        indicator=Indicator.objects.get(code="cod"),
        value=Decimal(100),
    )


@pytest.fixture
def option(world, baseline):
    return option_services.option_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        data=option_services.OptionData(
            code="F1",
            name="余热回收",
            cost_class="low",
            investment=Decimal(12),
            planned_on=timezone.localdate() - datetime.timedelta(days=5),
            benefits={"cod": (Decimal(3), None)},
        ),
    )


def test_the_enterprise_adds_an_option_with_its_benefits_and_it_is_logged(world, api_as, baseline):
    response = api_as(world.users["enterprise"], "write").post(
        add_url(world.case_north), body(), format="json"
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["code"] == "F1" and answer["status"] == "planned" and answer["case"] == world.case_north.pk
    assert [(b["indicator_code"], Decimal(b["expected"])) for b in answer["benefits"]] == [
        ("cod", Decimal("3.5"))
    ]
    event = Event.objects.get(action="option.save", object_id=str(answer["id"]))
    assert event.actor == world.users["enterprise"]


def test_a_number_the_case_has_is_409(world, api_as, option):
    response = api_as(world.users["enterprise"], "write").post(
        add_url(world.case_north), body(), format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "refused"
    assert Option.objects.get(pk=option.pk).investment == Decimal(12)


def test_the_rules_of_the_options_page_are_400_beside_their_field(world, api_as, baseline):
    client = api_as(world.users["enterprise"], "write")
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    dated = client.post(add_url(world.case_north), body(planned_on=future), format="json")
    assert dated.status_code == 400 and list(dated.json()["fields"]) == ["planned_on"]
    beyond = client.post(
        add_url(world.case_north),
        body(benefits=[{"indicator_code": "cod", "expected": "101"}]),
        format="json",
    )
    assert beyond.status_code == 400 and list(beyond.json()["fields"]) == ["benefits.cod"]
    unknown = client.post(
        add_url(world.case_north),
        body(benefits=[{"indicator_code": "nosuch", "expected": "1"}]),
        format="json",
    )
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["benefits"]
    bad = client.post(
        add_url(world.case_north),
        body(cost_class="cheap", benefits=[{"indicator_code": "cod", "expected": "lots"}], name=""),
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    assert set(bad.json()["fields"]) == {"cost_class", "name", "benefits.0.expected"}
    assert not Option.objects.filter(case=world.case_north).exists()
    assert not Event.objects.filter(action="option.save").exists()


def test_the_enterprise_changes_an_option_and_the_other_benefits_are_kept(world, api_as, option):
    water = Indicator.objects.get(code="water")
    option_services.baseline_save(
        case=world.case_north, actor=world.users["enterprise"], indicator=water, value=Decimal(50)
    )
    today = timezone.localdate().isoformat()
    response = api_as(world.users["enterprise"], "write").patch(
        option_url(option.pk),
        {
            "status": "implemented",
            "started_on": today,
            "implemented_on": today,
            "benefits": [{"indicator_code": "water", "expected": "2", "verified": "1.5"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    option.refresh_from_db()
    assert option.status == "implemented" and option.name == "余热回收"
    values = {b.indicator.code: (b.expected, b.verified) for b in Benefit.objects.filter(option=option)}
    assert values == {"cod": (Decimal(3), None), "water": (Decimal(2), Decimal("1.5"))}
    assert Event.objects.filter(action="option.save", object_id=str(option.pk)).count() == 2
    renumbered = api_as(world.users["enterprise"], "write").patch(
        option_url(option.pk), {"code": "F9"}, format="json"
    )
    assert renumbered.status_code == 400 and list(renumbered.json()["fields"]) == ["code"]


def test_a_read_token_may_not_write_options(world, api_as, option):
    client = api_as(world.users["enterprise"], "read")
    assert client.post(add_url(world.case_north), body(code="F2"), format="json").status_code == 403
    assert client.patch(option_url(option.pk), {"name": "新"}, format="json").status_code == 403


@pytest.mark.parametrize("role", ["city", "district", "province", "supervisor"])
def test_staff_who_see_the_case_may_not_enter_its_options(world, api_as, option, role):
    client = api_as(world.users[role], "write")
    added = client.post(add_url(world.case_north), body(code="F2"), format="json")
    assert added.status_code == 403 and added.json()["code"] == "permission_denied"
    assert client.patch(option_url(option.pk), {"name": "新"}, format="json").status_code == 403
    assert Option.objects.get(pk=option.pk).name == "余热回收"


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "auditor", "expert"])
def test_an_option_outside_the_scope_is_404(world, api_as, option, role):
    client = api_as(world.users[role], "write")
    added = client.post(add_url(world.case_north), body(code="F2"), format="json")
    assert added.status_code == 404 and added.json()["code"] == "not_found"
    assert client.patch(option_url(option.pk), {"name": "新"}, format="json").status_code == 404
