"""The lead authority through the API and the energy-saving authority's co-signature: cases show who
leads them and filter by it, /me/ shows the caller's department, and on a mixed-ground case where the
city asks for the co-signature the consulted authority co-signs the review before the chair confirms
(refused: 404 out of scope, 403 another department or role, 409 the review's state)."""

import pytest

from qingshen.programmes.voluntary import voluntary_register
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.reviews.models import Review
from qingshen.reviews.services.applications import review_check
from qingshen.trail.models import Event
from tests import factories as f
from tests.cases.test_energy_lead import _applied, _mixed, _scored


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def energy(world):
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    return world


def test_cases_show_and_filter_by_their_lead_authority(energy, api_as):
    w = energy
    client = api_as(w.users["city"])
    rows = {r["id"]: r for r in client.get("/api/v1/cases/").json()["results"]}
    assert rows[w.case_north.pk]["lead_authority"] == "environment"
    assert rows[w.case_south.pk]["lead_authority"] == "energy"
    assert rows[w.case_south.pk]["lead_authority_display"]
    assert ids(client.get("/api/v1/cases/", {"lead_authority": "energy"})) == [w.case_south.pk]
    assert ids(client.get("/api/v1/cases/", {"lead_authority": "environment"})) == [w.case_north.pk]
    detail = client.get(f"/api/v1/cases/{w.case_south.pk}/").json()
    assert detail["lead_authority"] == "energy"
    bad = client.get("/api/v1/cases/", {"lead_authority": "finance"})
    assert bad.status_code == 400 and "lead_authority" in bad.json()["fields"]


def test_me_shows_the_department_and_the_token(energy, api, api_as):
    body = api_as(energy.energy).get("/api/v1/me/").json()
    assert body["role"] == "city" and body["authority"] == "energy"
    assert body["jurisdiction"] == energy.city.pk
    assert body["token"]["name"] == "脚本" and body["token"]["scope"] == "read"
    assert api_as(energy.users["enterprise"]).get("/api/v1/me/").json()["enterprise"] == energy.ent_north.pk
    api.credentials()
    assert api.get("/api/v1/me/").status_code == 401


def _cosign_ready(w):
    bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], energy_consultation="cosign")
    _mixed(w)
    review = _applied(w, w.case_north, w.users["enterprise"])
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    return review


def cosign(client, review, **body):
    return client.post(f"/api/v1/reviews/{review.pk}/cosign/", body, format="json")


def test_the_energy_authority_cosigns_before_the_chair_confirms(energy, api_as):
    w = energy
    review = _cosign_ready(w)
    chair = _scored(w, review)
    state = api_as(w.users["city"]).get(f"/api/v1/reviews/{review.pk}/").json()["cosign"]
    assert state["consulted_authority"] == "energy" and state["required"] and state["pending"]
    early = api_as(chair, "write").post(f"/api/v1/reviews/{review.pk}/confirmation/", {}, format="json")
    assert early.status_code == 409, early.content
    assert Review.objects.get(pk=review.pk).status == "accepted"
    done = cosign(api_as(w.energy, "write"), review, comment="同意")
    assert done.status_code == 200, done.content
    body = done.json()["cosign"]
    assert body["pending"] is False and body["cosigned_by"] == w.energy.pk and body["comment"] == "同意"
    assert Event.objects.filter(action="review.cosign", object_id=str(review.pk)).count() == 1
    again = cosign(api_as(w.energy, "write"), review)
    assert again.status_code == 409 and again.json()["status"] == "accepted"
    listed = api_as(w.users["city"]).get("/api/v1/reviews/").json()["results"]
    assert [r["cosign"]["pending"] for r in listed if r["id"] == review.pk] == [False]


@pytest.mark.parametrize("who", ["city", "district", "energy_north"])
def test_others_may_not_cosign(energy, api_as, who):
    # The environment bureau does not sign for the energy authority; the energy authority co-signs at
    # the organising bureau (the city by default), not at a district.
    w = energy
    review = _cosign_ready(w)
    user = w.energy_north if who == "energy_north" else w.users[who]
    response = cosign(api_as(user, "write"), review)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert Review.objects.get(pk=review.pk).cosigned_at is None


@pytest.mark.parametrize("role", ["enterprise_south", "agency", "expert", "auditor"])
def test_a_review_out_of_scope_is_404(energy, api_as, role):
    review = _cosign_ready(energy)
    response = cosign(api_as(energy.users[role], "write"), review)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_read_token_may_not_cosign(energy, api_as):
    review = _cosign_ready(energy)
    assert cosign(api_as(energy.energy, "read"), review).status_code == 403


def test_cosign_refused_by_the_setting_and_the_state(energy, api_as):
    w = energy
    _mixed(w)
    review = _applied(w, w.case_north, w.users["enterprise"])
    # Notified (the default): no co-signature is asked; the consulted authority hears a 409.
    refused = cosign(api_as(w.energy, "write"), review)
    assert refused.status_code == 409 and refused.json()["status"] == "applied"
    assert api_as(w.users["city"]).get(f"/api/v1/reviews/{review.pk}/").json()["cosign"]["required"] is False
    # Asked for, but the application is not yet accepted.
    bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], energy_consultation="cosign")
    early = cosign(api_as(w.energy, "write"), review)
    assert early.status_code == 409 and early.json()["status"] == "applied"
    bad = cosign(api_as(w.energy, "write"), review, comment="长" * 2001)
    assert bad.status_code == 400 and "comment" in bad.json()["fields"]
    assert not Event.objects.filter(action="review.cosign").exists()


def test_a_voluntary_audit_is_the_environment_bureaus(world, api_as):
    ent = f.enterprise(world.north, "北区自愿审核有限公司")
    case = voluntary_register(actor=f.user("volunteer", "enterprise", enterprise=ent))
    client = api_as(world.users["city"])
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["lead_authority"] == "environment"
    assert set(ids(client.get("/api/v1/cases/", {"lead_authority": "environment"}))) == {
        world.case_north.pk,
        case.pk,
    }
