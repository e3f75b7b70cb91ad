"""Reviews with their panel, the draw's verification (authority staff over the case, logged), and the
expert pool (city, province, supervisor) with personal data masked."""

from qingshen.reviews.models import Expert
from qingshen.trail.models import Event
from tests.api.rich import ids


def test_a_review_with_its_panel_for_whoever_sees_the_case(rich, db):
    a, _b, clients = rich
    review = a.objects["review"]
    data = clients["enterprise_south"].get(f"/api/v1/reviews/{review.pk}/").json()
    assert data["kind"] == "evaluation" and data["case"] == a.objects["case_review"].pk
    panel = data["panel"]
    assert panel["record_sha256"] == review.panel.record_sha256
    assert len(panel["seats"]) == review.panel.size and panel["seats"][0]["expert_name"]
    assert "record" not in panel  # the draw record (who was excluded and why) is the verification's
    assert review.pk in ids(clients["city"].get("/api/v1/reviews/", {"status": review.status}))
    for role in ("enterprise", "district", "auditor"):
        assert clients[role].get(f"/api/v1/reviews/{review.pk}/").status_code == 404, role


def test_the_draw_is_verified_for_authority_staff_and_logged(rich, db):
    a, _b, clients = rich
    review = a.objects["review"]
    response = clients["city"].get(f"/api/v1/reviews/{review.pk}/verification/")
    data = response.json()
    assert response.status_code == 200 and data["matches"] is True and data["digest_ok"] is True
    assert data["actual"] == list(review.panel.seats.order_by("position").values_list("expert_id", flat=True))
    assert data["record"] == review.panel.record
    assert Event.objects.filter(action="panel.verify", object_id=str(review.panel.pk)).exists()
    # The enterprise sees the review, not the draw record; a review without a panel has nothing to verify.
    assert clients["enterprise_south"].get(f"/api/v1/reviews/{review.pk}/verification/").status_code == 404
    assert clients["district"].get(f"/api/v1/reviews/{review.pk}/verification/").status_code == 404


def test_experts_masked_for_the_pool_roles_only(rich, db):
    a, _b, clients = rich
    expert = a.objects["expert"]
    Expert.objects.filter(pk=expert.pk).update(phone="13812345678", email="zhang@example.cn")
    data = clients["city"].get(f"/api/v1/experts/{expert.pk}/").json()
    assert data["phone"] == "138****5678" and data["email"] == "z***@example.cn"
    assert data["specialties"] == ["26"]
    listed = clients["province"].get("/api/v1/experts/", {"page_size": 100}).json()["results"]
    assert expert.pk in [e["id"] for e in listed]
    assert all("13812345678" not in str(e) for e in listed)
    # Districts that organise reviews draw from the city's pool: they read it, masked, too.
    assert clients["district"].get(f"/api/v1/experts/{expert.pk}/").json()["phone"] == "138****5678"
    for role in ("enterprise", "agency", "expert", "auditor"):
        assert clients[role].get("/api/v1/experts/").status_code == 404, role
        assert clients[role].get(f"/api/v1/experts/{expert.pk}/").status_code == 404, role
