"""Two more pieces of the environment bureau's work that the energy-saving authority only reads: the
audit's permit findings on a case it does not lead (and, the other way round, on a case it leads the
environment staff read them), and a district's progress return."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.cases.errors import CaseError
from qingshen.cases.models import CasePermitRecord
from qingshen.cases.permit_records import case_permit_record
from qingshen.programmes.models import Milestone, ProgressReturn
from tests import factories as f

FINDINGS = {
    "application": CasePermitRecord.Application.choices[0][0],
    "implementation": CasePermitRecord.Implementation.choices[0][0],
    "note": "",
}


@pytest.fixture
def energy(world):
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    return world


def test_permit_findings_are_the_leading_departments(energy, client_for):
    w = energy
    # case_north is led by the environment bureau: the energy authority reads it, is offered no form.
    client = client_for(w.energy)
    page = client.get(reverse("case-detail", args=[w.case_north.pk]))
    assert page.status_code == 200 and page.context["permit_form"] is None
    client.post(reverse("case-permit", args=[w.case_north.pk]), FINDINGS)
    assert not CasePermitRecord.objects.filter(case=w.case_north).exists()
    with pytest.raises(CaseError):
        case_permit_record(actor=w.energy, case=w.case_north, **FINDINGS)
    # case_south is energy-led: the environment staff read it, the energy authority records.
    with pytest.raises(CaseError):
        case_permit_record(actor=w.users["city"], case=w.case_south, **FINDINGS)
    page = client_for(w.users["city"]).get(reverse("case-detail", args=[w.case_south.pk]))
    assert page.context["permit_form"] is None
    case_permit_record(actor=w.energy, case=w.case_south, **FINDINGS)
    assert CasePermitRecord.objects.filter(case=w.case_south).exists()


def test_a_districts_progress_return_is_its_environment_bureaus(energy, client_for):
    w = energy
    milestone = Milestone.objects.create(
        programme=w.programme,
        kind=Milestone.Kind.PROGRESS_REPORT_DUE,
        name="上半年进展报送",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        source="通知第五条",
    )
    url = reverse("progress-return", args=[w.programme.pk, milestone.pk])
    client = client_for(w.energy_north)
    page = client.get(url)
    assert page.status_code == 404 or page.context["form"] is None
    client.post(url, {"text": "已组织评估 2 家。", "evaluations_held": "2", "acceptances_held": ""})
    assert not ProgressReturn.objects.exists()
    # the district's environment staff still file it
    client_for(w.users["district"]).post(url, {"text": "已组织评估 2 家。", "evaluations_held": "2"})
    assert ProgressReturn.objects.filter(district=w.north).exists()
