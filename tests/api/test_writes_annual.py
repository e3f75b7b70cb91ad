"""The annual disclosure (部令第24号 Art. 14) through the API: the enterprise (or its delegated agency)
saves a year's draft and submits it, as the portal's annual disclosure page does; staff who see the case
are refused (403), others are told nothing exists (404); bad input is 400 and a submitted year 409."""

import datetime

import pytest
from django.utils import timezone

from qingshen.cases import annual_disclosures as annual
from qingshen.cases import services as case_services
from qingshen.cases.models import AnnualDisclosure
from qingshen.trail.models import Event

SHAPE = {"code", "message", "fields"}
CONTENT = {"reason": "双超", "progress": "审核中", "evaluation": "未评估", "acceptance": "未验收"}


def url(case, year=None, tail=""):
    return f"/api/v1/cases/{case.pk}/annual-disclosures/{year or case.published_on.year}/{tail}"


def test_the_enterprise_saves_from_the_prefill_then_submits(world, api_as):
    case = world.case_north
    client = api_as(world.users["enterprise"], "write")
    saved = client.patch(url(case), {"content": {"reason": "双超企业"}}, format="json")
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["status"] == "draft" and body["case"] == case.pk and body["year"] == case.published_on.year
    items = {i["key"]: i["value"] for i in body["items"]}
    prefill = annual.annual_prefill(case, case.published_on.year)
    assert items == {**prefill, "reason": "双超企业"}
    event = Event.objects.filter(action="annual_disclosure.save").latest("pk")
    assert event.actor == world.users["enterprise"] and event.after["content"]["reason"] == "双超企业"

    submitted = client.post(url(case, tail="submit/"), {"content": {"progress": "已开展审核"}}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted" and submitted.json()["submitted_on"]
    record = AnnualDisclosure.objects.get(case=case)
    assert record.content["reason"] == "双超企业" and record.content["progress"] == "已开展审核"
    assert Event.objects.filter(action="annual_disclosure.submit", actor=world.users["enterprise"]).exists()
    public = client.get("/api/v1/public/annual-disclosures/").json()["results"]
    assert [r["id"] for r in public] == [record.pk]


def test_a_submitted_year_is_409_and_unchanged(world, api_as):
    case = world.case_north
    record = annual.annual_disclosure_save(
        case=case, year=case.published_on.year, actor=world.users["enterprise"], content=CONTENT, submit=True
    )
    client = api_as(world.users["enterprise"], "write")
    for response in (
        client.patch(url(case), {"content": {"reason": "改"}}, format="json"),
        client.post(url(case, tail="submit/"), {}, format="json"),
    ):
        assert response.status_code == 409, response.content
        assert response.json()["status"] == "submitted" and response.json()["code"] == "refused"
    record.refresh_from_db()
    assert record.content == CONTENT


def test_the_delegated_agency_saves_the_draft(world, api_as):
    case_services.delegation_create(
        case=world.case_north,
        agency=world.agency,
        actor=world.users["enterprise"],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = api_as(world.users["agency"], "write").patch(
        url(world.case_north), {"content": CONTENT}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Event.objects.filter(action="annual_disclosure.save", actor=world.users["agency"]).exists()


def test_a_read_token_may_not_save(world, api_as):
    client = api_as(world.users["enterprise"], "read")
    assert client.patch(url(world.case_north), {"content": CONTENT}, format="json").status_code == 403
    assert client.post(url(world.case_north, tail="submit/"), {}, format="json").status_code == 403
    assert not AnnualDisclosure.objects.exists()


@pytest.mark.parametrize("role", ["city", "district", "province", "supervisor"])
def test_staff_who_see_the_case_may_not_write_its_annual_disclosure(world, api_as, role):
    client = api_as(world.users[role], "write")
    saved = client.patch(url(world.case_north), {"content": CONTENT}, format="json")
    assert saved.status_code == 403 and saved.json()["code"] == "permission_denied"
    assert client.post(url(world.case_north, tail="submit/"), {}, format="json").status_code == 403
    assert not AnnualDisclosure.objects.exists()


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "auditor", "expert"])
def test_a_case_outside_the_scope_is_404(world, api_as, role):
    client = api_as(world.users[role], "write")
    saved = client.patch(url(world.case_north), {"content": CONTENT}, format="json")
    assert saved.status_code == 404 and set(saved.json()) == SHAPE
    assert client.post(url(world.case_north, tail="submit/"), {}, format="json").status_code == 404
    assert not AnnualDisclosure.objects.exists()


def test_a_year_the_case_does_not_disclose_is_404(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    for year in (world.case_north.published_on.year - 1, 1, 10**17):
        response = client.patch(url(world.case_north, year), {"content": CONTENT}, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found", year
    assert client.patch(f"/api/v1/cases/{world.case_north.pk}/annual-disclosures/x/", {}).status_code == 404
    assert not AnnualDisclosure.objects.exists()


@pytest.mark.parametrize(
    "sent, field",
    [
        ({"content": {"reason": "x" * (annual.MAX_ITEM_LENGTH + 1)}}, "content.reason"),
        ({"content": {"progress": "a\x00b"}}, "content.progress"),
        ({"content": {"evaluation": "a\u202eb"}}, "content.evaluation"),
        ({"content": {"other": "x"}}, "content.other"),
        ({"content": "not a map"}, "content"),
    ],
)
def test_bad_items_are_400_beside_their_key_and_change_nothing(world, api_as, sent, field):
    client = api_as(world.users["enterprise"], "write")
    for response in (
        client.patch(url(world.case_north), sent, format="json"),
        client.post(url(world.case_north, tail="submit/"), sent, format="json"),
    ):
        assert response.status_code == 400, response.content
        assert set(response.json()) == SHAPE
        # a control character is refused by the input middleware before the view, under its JSON path
        assert field in response.json()["fields"] or f"$.{field}" in response.json()["fields"]
    assert not AnnualDisclosure.objects.exists()


def test_submitting_an_empty_item_is_400_naming_it(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    response = client.post(
        url(world.case_north, tail="submit/"), {"content": {"acceptance": "  "}}, format="json"
    )
    assert response.status_code == 400 and "content.acceptance" in response.json()["fields"]
    assert not AnnualDisclosure.objects.exists()
    # Saving the draft with the item empty is allowed; the year stays a draft.
    saved = client.patch(url(world.case_north), {"content": {"acceptance": ""}}, format="json")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"


def test_the_schema_lists_the_annual_writes(client, db):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "patch" in paths["/api/v1/cases/{id}/annual-disclosures/{year}/"]
    assert "post" in paths["/api/v1/cases/{id}/annual-disclosures/{year}/submit/"]
