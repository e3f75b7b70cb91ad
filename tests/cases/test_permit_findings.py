"""The audit's permit findings on the case (申领、登记与实施情况, issue 19) and the emissions disclosure's
permitted limits beside the actual figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.cases import disclosures, services
from qingshen.cases.models import CasePermitRecord, Disclosure
from qingshen.registry.models import Permit, PermittedPollutant
from qingshen.trail.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(world):
    today = timezone.localdate()
    p = Permit.objects.create(
        enterprise=world.ent_north,
        number=f"{world.ent_north.uscc}001P",
        management_class=Permit.ManagementClass.KEY,
        issuing_authority="测试市生态环境局",
        valid_from=today - datetime.timedelta(days=365),
        valid_to=today + datetime.timedelta(days=1000),
    )
    PermittedPollutant.objects.create(
        permit=p, pollutant="化学需氧量", outlet="DW001", limit_value=50, unit="mg/L"
    )
    PermittedPollutant.objects.create(permit=p, pollutant="氨氮", outlet="DW001", limit_value=5, unit="mg/L")
    return p


def test_findings_recorded_on_the_case_page(world, client_for, permit):
    case = world.case_north
    url = reverse("case-permit", args=[case.pk])
    client = client_for(world.users["enterprise"])
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="permit-findings-form"' in page and permit.number in page
    response = client.post(url, {"application": "held", "implementation": "deviations", "note": "台账不全"})
    assert response.status_code == 302
    record = CasePermitRecord.objects.get(case=case)
    assert (record.application, record.implementation, record.permit_number) == (
        "held",
        "deviations",
        permit.number,
    )
    assert Event.objects.filter(action="case.permit.record", object_id=str(case.pk)).count() == 1
    # The district bureau over the case may correct it; the same values again log nothing.
    district = client_for(world.users["district"])
    district.post(url, {"application": "held", "implementation": "complies", "note": ""})
    district.post(url, {"application": "held", "implementation": "complies", "note": ""})
    assert CasePermitRecord.objects.get(case=case).implementation == "complies"
    assert Event.objects.filter(action="case.permit.record").count() == 2
    # A bad choice is refused with a message and changes nothing.
    response = district.post(url, {"application": "stolen", "implementation": "complies"}, follow=True)
    assert response.status_code == 200 and CasePermitRecord.objects.get(case=case).application == "held"


def test_findings_refused_out_of_scope(world, client_for):
    url = reverse("case-permit", args=[world.case_north.pk])
    for role in ("district_south", "enterprise_south", "agency", "expert", "sysadmin"):
        assert (
            client_for(world.users[role])
            .post(url, {"application": "held", "implementation": "complies"})
            .status_code
            == 404
        ), role
    # The supervisor sees the case but does not record the audit's findings.
    client_for(world.users["supervisor"]).post(url, {"application": "held", "implementation": "complies"})
    assert not CasePermitRecord.objects.exists()
    assert (
        'id="permit-findings-form"'
        not in client_for(world.users["supervisor"])
        .get(reverse("case-detail", args=[world.case_north.pk]))
        .content.decode()
    )


def test_emissions_disclosure_shows_permitted_limits_beside_actual_figures(world, client_for, permit):
    case, user = world.case_north, world.users["enterprise"]
    client = client_for(user)
    url = reverse("case-disclosure", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'id="permitted-limits"' in page and 'name="actual-0"' in page and "50 mg/L" in page
    data = disclosures.disclosure_minimal_content(case)
    response = client.post(url, {**data, "actual-0": "32 mg/L", "actual-1": "1.2 mg/L", "save": "1"})
    assert response.status_code == 302
    limits = Disclosure.objects.get(case=case).content["permitted_limits"]
    assert limits["number"] == permit.number
    assert {(r["pollutant"], r["limit"], r["actual"]) for r in limits["rows"]} == {
        ("化学需氧量", "50", "32 mg/L"),
        ("氨氮", "5", "1.2 mg/L"),
    }
    services.disclosure_submit(case_id=case.pk, actor=user)
    disclosure = Disclosure.objects.get(case=case)
    # The public page keeps what was permitted when it was disclosed, beside the figures given.
    PermittedPollutant.objects.filter(permit=permit, pollutant="氨氮").update(limit_value=3)
    public = client_for(world.users["enterprise_south"]).get(
        reverse("public-disclosure", args=[disclosure.pk])
    )
    text = public.content.decode()
    assert 'id="permitted-limits"' in text and "32 mg/L" in text and "5 mg/L" in text


def test_disclosure_without_a_permit_is_unchanged(world, client_for):
    case = world.case_north
    page = (
        client_for(world.users["enterprise"]).get(reverse("case-disclosure", args=[case.pk])).content.decode()
    )
    assert 'id="permitted-limits"' not in page
    disclosures.disclosure_save(
        case=case, actor=world.users["enterprise"], content=disclosures.disclosure_minimal_content(case)
    )
    assert "permitted_limits" not in Disclosure.objects.get(case=case).content
