"""The public data without a token: the same rows and fields as the public site."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.cases.models import AuditCase
from qingshen.programmes import services as programme_services
from tests import factories as f


@pytest.fixture
def anon():
    return APIClient()


def test_published_lists_and_their_entries_but_no_draft(world, anon):
    draft = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    lists = anon.get("/api/v1/public/lists/").json()["results"]
    assert [p["id"] for p in lists] == [world.programme.pk]
    assert anon.get(f"/api/v1/public/lists/{draft.pk}/").status_code == 404
    entries = anon.get(f"/api/v1/public/lists/{world.programme.pk}/entries/").json()
    rows = entries["results"]
    assert entries["count"] == 2 and {r["enterprise_name"] for r in rows} == {
        "北区化工有限公司",
        "南区电镀有限公司",
    }
    assert rows[0]["stage"] and "state" not in rows[0] and "contact_phone" not in str(rows)
    assert anon.get(f"/api/v1/public/lists/{draft.pk}/entries/").status_code == 404


def test_results_and_search(world, anon):
    assert anon.get("/api/v1/public/results/").json()["results"] == []
    AuditCase.objects.filter(pk=world.case_north.pk).update(
        state="published", result_published_on=timezone.localdate(), level="II"
    )
    results = anon.get("/api/v1/public/results/").json()["results"]
    assert [r["id"] for r in results] == [world.case_north.pk] and results[0]["level"] == "II"
    found = anon.get("/api/v1/public/search/", {"q": world.ent_south.uscc}).json()["results"]
    assert [r["id"] for r in found] == [world.case_south.pk]
    assert anon.get("/api/v1/public/search/").json()["results"] == []


def test_submitted_disclosures_only(world, anon):
    assert anon.get("/api/v1/public/disclosures/").json()["results"] == []
    draft = world.case_north.disclosure
    assert anon.get(f"/api/v1/public/disclosures/{draft.pk}/").status_code == 404
    f.walk(
        world.case_north,
        "disclosed",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    listed = anon.get("/api/v1/public/disclosures/", {"q": "北区"}).json()["results"]
    assert [d["id"] for d in listed] == [draft.pk]
    detail = anon.get(f"/api/v1/public/disclosures/{draft.pk}/").json()
    assert detail["submitted_on"] and detail["due_on"] and detail["items"][0]["label"]


def test_the_procedure_and_a_token_is_not_needed_nor_looked_at(world, anon):
    anon.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = anon.get("/api/v1/public/procedure/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["legal_basis"] and data["steps"] and data["steps"][0]["order"] == 1


def test_control_characters_in_a_query_are_refused_not_a_500(world, anon, api_as):
    for path in ("/api/v1/public/search/", "/api/v1/public/disclosures/"):
        assert anon.get(path, {"q": "北\x00区"}).status_code == 400, path
    city = api_as(world.users["city"])
    assert city.get("/api/v1/cases/", {"q": "北\x00区"}).status_code == 400
