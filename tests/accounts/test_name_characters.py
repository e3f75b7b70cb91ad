"""Names, addresses and codes refuse text-direction characters and line breaks with a form error.

A right-to-left override in a registered name made the public pages show it in another order than the
one that is stored and searched; it is refused where the name is typed, nothing is stored."""

import pytest
from django.urls import reverse

from qingshen.cases import disclosures
from qingshen.cases.models import Disclosure, Option
from qingshen.registry import services as registry_services
from qingshen.registry.models import AgencyStaff, Enterprise
from tests.factories import form_errors_shown

RLO = "\u202e"


def _edit_data(world, **changes):
    data = {
        "name": world.ent_north.name,
        "industry": world.ent_north.industry_id,
        "permit_number": "",
        "legal_representative": "",
        "address": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", f"北区{RLO}司公限有工化"),
        ("name", "北区\u2066化工\u2069有限公司"),
        ("name", "北区化工\n有限公司"),
        ("address", f"重庆市{RLO}北区"),
        ("legal_representative", "张\u200f三"),
        ("permit_number", "91500112\tMA01"),
    ],
)
def test_the_enterprise_form_refuses_them_with_a_form_error(world, client_for, field, value):
    client = client_for(world.users["district"])
    response = client.post(
        reverse("enterprise-edit", args=[world.ent_north.pk]), _edit_data(world, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any("U+" in e for e in errors), errors
    world.ent_north.refresh_from_db()
    assert getattr(world.ent_north, field) != value


def test_a_new_enterprise_with_an_override_is_refused(world, client_for):
    client = client_for(world.users["district"])
    data = {"uscc": "91512081MA62K0260E", "jurisdiction": world.north.pk, "name": f"新{RLO}企业有限公司"}
    response = client.post(reverse("enterprise-create"), data)
    assert response.status_code == 200 and "RIGHT-TO-LEFT OVERRIDE" in response.content.decode()
    assert not Enterprise.objects.filter(uscc="91512081MA62K0260E").exists()


def test_the_registry_service_refuses_them_too(world):
    with pytest.raises(registry_services.RegistryError):
        registry_services.enterprise_update(
            actor=world.users["district"], enterprise=world.ent_north, address=f"北区{RLO}路"
        )


def test_agency_staff_names_are_checked(world, client_for):
    url = reverse("agency-staff-add", args=[world.agency.pk])
    response = client_for(world.users["agency"]).post(url, {"name": f"李{RLO}四"}, follow=True)
    errors = form_errors_shown(response, "staff-form", "staff_form")
    assert any("U+202E" in e for e in errors)
    assert not AgencyStaff.objects.exists()


def test_option_numbers_and_names_are_checked(world, client_for):
    client = client_for(world.users["enterprise"])
    data = {"form": "option", "code": f"F{RLO}1", "name": "中水回用", "cost_class": "low", "investment": "3",
            "status": "planned", "planned_on": world.case_north.published_on.isoformat()}  # fmt: skip
    client.post(reverse("case-options", args=[world.case_north.pk]), data)
    assert not Option.objects.exists()


def test_a_published_disclosure_keeps_line_breaks_but_no_override(world, client_for):
    from qingshen.cases.disclosure_fields import fields_for
    from tests.cases.test_disclosure import _new_case

    case, user = _new_case(world, ["hazardous"])
    client = client_for(user)
    url = reverse("case-disclosure", args=[case.pk])
    data = disclosures.disclosure_minimal_content(case)
    long_key = next(item.key for _s, item in fields_for(case.listing.grounds) if item.long)
    response = client.post(url, {**data, long_key: f"第一段\n{RLO}第二段", "save": "1"})
    assert response.status_code == 200 and "U+202E" in response.content.decode()
    assert not Disclosure.objects.filter(case=case).exists()
    assert client.post(url, {**data, long_key: "第一段\r\n第二段", "save": "1"}).status_code == 302
    assert Disclosure.objects.get(case=case).content[long_key] == "第一段\r\n第二段"


def test_the_admin_checks_names_of_reference_data(world, client_for):
    client = client_for(world.users["sysadmin"])
    url = reverse("admin:accounts_jurisdiction_change", args=[world.north.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"name": f"北{RLO}区", "level": "district", "parent": world.city.pk, "code": "500112"}
    response = client.post(url, data)
    assert response.status_code == 200 and "U+202E" in response.content.decode()
    world.north.refresh_from_db()
    assert world.north.name == "北区"
