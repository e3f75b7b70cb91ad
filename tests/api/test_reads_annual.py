"""Annual disclosures (部令第24号 Art. 14) through the API: drafts and submitted years to whoever sees
the case (out of scope: 404), the submitted ones to anyone without a token, by year."""

import pytest

from qingshen.cases import annual_disclosures as annual
from qingshen.cases.models import AuditCase

CONTENT = {"reason": "双超", "progress": "审核中", "evaluation": "未评估", "acceptance": "未验收"}


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def disclosed(world):
    """North's year submitted (public), south's a draft."""
    north, south = world.case_north, world.case_south
    year = north.published_on.year
    submitted = annual.annual_disclosure_save(
        case=north, year=year, actor=world.users["enterprise"], content=CONTENT, submit=True
    )
    draft = annual.annual_disclosure_save(
        case=south, year=year, actor=world.users["enterprise_south"], content={"reason": "能耗"}
    )
    return submitted, draft


def test_the_bureau_reads_drafts_and_submitted_years(world, disclosed, api_as):
    submitted, draft = disclosed
    city = api_as(world.users["city"])
    assert set(ids(city.get("/api/v1/annual-disclosures/"))) == {submitted.pk, draft.pk}
    assert ids(city.get("/api/v1/annual-disclosures/", {"status": "draft"})) == [draft.pk]
    assert ids(city.get("/api/v1/annual-disclosures/", {"case": world.case_north.pk})) == [submitted.pk]
    assert ids(city.get("/api/v1/annual-disclosures/", {"year": submitted.year + 1})) == []
    body = city.get(f"/api/v1/annual-disclosures/{submitted.pk}/").json()
    assert body["status"] == "submitted" and body["case"] == world.case_north.pk
    assert [i["key"] for i in body["items"]] == ["reason", "progress", "evaluation", "acceptance"]
    assert body["items"][0]["value"] == "双超" and body["steps"][0]["step"] == "published_on"
    bad = city.get("/api/v1/annual-disclosures/", {"year": "10" * 30})
    assert bad.status_code == 400 and "year" in bad.json()["fields"]


@pytest.mark.parametrize(
    "role, sees", [("enterprise", "north"), ("enterprise_south", "south"), ("district", "north")]
)
def test_annual_disclosures_out_of_scope_are_404(world, disclosed, api_as, role, sees):
    submitted, draft = disclosed
    mine, other = (submitted, draft) if sees == "north" else (draft, submitted)
    client = api_as(world.users[role])
    assert ids(client.get("/api/v1/annual-disclosures/")) == [mine.pk]
    response = client.get(f"/api/v1/annual-disclosures/{other.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["agency", "expert", "auditor", "sysadmin"])
def test_others_see_no_annual_disclosures(world, disclosed, api, api_as, role):
    assert ids(api_as(world.users[role]).get("/api/v1/annual-disclosures/")) == []
    api.credentials()
    assert api.get("/api/v1/annual-disclosures/").status_code == 401


def test_the_public_reads_the_submitted_years_without_a_token(world, disclosed, api):
    submitted, draft = disclosed
    assert ids(api.get("/api/v1/public/annual-disclosures/")) == [submitted.pk]
    assert ids(api.get("/api/v1/public/annual-disclosures/", {"year": submitted.year})) == [submitted.pk]
    assert ids(api.get("/api/v1/public/annual-disclosures/", {"year": submitted.year - 1})) == []
    assert api.get("/api/v1/public/annual-disclosures/years/").json() == {"years": [submitted.year]}
    body = api.get(f"/api/v1/public/annual-disclosures/{submitted.pk}/").json()
    assert body["enterprise_name"] == "北区化工有限公司" and body["items"][1]["value"] == "审核中"
    assert "status" not in body and "case" not in body
    assert api.get(f"/api/v1/public/annual-disclosures/{draft.pk}/").status_code == 404
    # A withdrawn case's disclosures leave the public site.
    AuditCase.objects.filter(pk=world.case_north.pk).update(state="withdrawn")
    assert ids(api.get("/api/v1/public/annual-disclosures/")) == []
    api.credentials(HTTP_AUTHORIZATION="Bearer nonsense")  # a token sent along is not looked at
    assert api.get("/api/v1/public/annual-disclosures/years/").status_code == 200
