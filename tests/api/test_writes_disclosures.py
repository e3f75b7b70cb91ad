"""The Art. 11 disclosure through the API: the enterprise (or its delegated agency) saves the draft,
uploads the proof and submits it, as the portal's form does; others are refused; every write is logged."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qingshen.cases import services as case_services
from qingshen.cases.models import Disclosure
from qingshen.trail.models import Event

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(case, tail=""):
    return f"/api/v1/cases/{case.pk}/disclosure/{tail}"


def test_the_enterprise_saves_an_item_and_the_others_are_kept(world, api_as):
    before = dict(Disclosure.objects.get(case=world.case_north).content)
    client = api_as(world.users["enterprise"], "write")
    response = client.patch(
        url(world.case_north),
        {"content": {"pollutants": "二氧化硫、氮氧化物"}, "published_where": "测试日报"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["published_where"] == "测试日报"
    assert body["content"] == {**before, "pollutants": "二氧化硫、氮氧化物"}
    event = Event.objects.filter(action="disclosure.save").latest("pk")
    assert (
        event.actor == world.users["enterprise"]
        and event.after["content"]["pollutants"] == "二氧化硫、氮氧化物"
    )


def test_the_delegated_agency_saves_the_draft(world, api_as):
    case_services.delegation_create(
        case=world.case_north,
        agency=world.agency,
        actor=world.users["enterprise"],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = api_as(world.users["agency"], "write").patch(
        url(world.case_north), {"content": {"address": "北区一路1号"}}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Event.objects.filter(action="disclosure.save", actor=world.users["agency"]).exists()


def test_a_read_token_may_not_save(world, api_as):
    response = api_as(world.users["enterprise"], "read").patch(
        url(world.case_north), {"content": {"address": "x"}}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["city", "district", "province", "supervisor"])
def test_staff_who_see_the_case_may_not_fill_in_its_disclosure(world, api_as, role):
    client = api_as(world.users[role], "write")
    saved = client.patch(url(world.case_north), {"content": {"address": "x"}}, format="json")
    assert saved.status_code == 403 and saved.json()["code"] == "permission_denied"
    assert client.post(url(world.case_north, "submit/"), {}, format="json").status_code == 403
    assert not Event.objects.filter(action__startswith="disclosure.", actor=world.users[role]).exists()


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "auditor", "expert"])
def test_a_case_outside_the_scope_is_404(world, api_as, role):
    client = api_as(world.users[role], "write")
    saved = client.patch(url(world.case_north), {"content": {"address": "x"}}, format="json")
    assert saved.status_code == 404 and saved.json()["code"] == "not_found"
    assert client.post(url(world.case_north, "submit/"), {}, format="json").status_code == 404


def test_bad_items_are_400_beside_their_key_and_change_nothing(world, api_as):
    before = Disclosure.objects.get(case=world.case_north).content
    client = api_as(world.users["enterprise"], "write")
    response = client.patch(
        url(world.case_north),
        {"content": {"energy_per_product": "x", "address": "a\u202eb", "pollutants": "y" * 4001}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["fields"]) == {"content.pollutants"}
    unknown = client.patch(
        url(world.case_north), {"content": {"energy_per_product": "x", "address": "a\u202eb"}}, format="json"
    )
    assert unknown.status_code == 400
    assert set(unknown.json()["fields"]) == {"content.energy_per_product", "content.address"}
    assert Disclosure.objects.get(case=world.case_north).content == before


def test_the_enterprise_uploads_the_proof(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    old = Disclosure.objects.get(case=world.case_north).proof_id
    response = client.post(
        url(world.case_north, "proof/"),
        {"kind": "disclosure_proof", "file": SimpleUploadedFile("截图.pdf", PDF)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["proof"] != old
    wrong = client.post(
        url(world.case_north, "proof/"),
        {"kind": "audit_report", "file": SimpleUploadedFile("截图.pdf", PDF)},
        format="multipart",
    )
    assert wrong.status_code == 400 and list(wrong.json()["fields"]) == ["kind"]


def test_the_enterprise_submits_and_then_nothing_changes(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    response = client.post(url(world.case_north, "submit/"), {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    world.case_north.refresh_from_db()
    assert world.case_north.state == "disclosed"
    assert Event.objects.filter(action="disclosure.submit", actor=world.users["enterprise"]).exists()
    again = client.post(url(world.case_north, "submit/"), {}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "transition_refused" and again.json()["state"] == "disclosed"
    saved = client.patch(url(world.case_north), {"content": {"address": "x"}}, format="json")
    assert saved.status_code == 409 and saved.json()["code"] == "refused"


def test_an_incomplete_draft_is_409_with_the_missing_items(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    assert (
        client.patch(url(world.case_north), {"content": {"pollutants": ""}}, format="json").status_code == 200
    )
    response = client.post(url(world.case_north, "submit/"), {}, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == "listed" and "disclose" in response.json()["allowed_actions"]
    assert Disclosure.objects.get(case=world.case_north).status == "draft"
