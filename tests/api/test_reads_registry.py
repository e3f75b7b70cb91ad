"""Industries (every signed-in user) and agencies (authority staff; an agency its own entry, its
contact's phone masked)."""

from qingshen.registry.models import Agency
from tests.api.rich import ids


def test_industries_for_any_signed_in_user_and_filtered(rich, db):
    _a, _b, clients = rich
    divisions = clients["enterprise"].get("/api/v1/industries/", {"level": "division", "code": "26"})
    rows = divisions.json()["results"]
    assert [r["code"] for r in rows] == ["26"] and rows[0]["level"] == "division"
    assert clients["anonymous"].get("/api/v1/industries/").status_code == 401
    one = clients["expert"].get(f"/api/v1/industries/{rows[0]['id']}/")
    assert one.status_code == 200 and one.json()["name_zh"]


def test_agencies_for_staff_with_the_phone_masked_and_an_agency_sees_itself(rich, db):
    a, b, clients = rich
    agency = a.objects["agency"]
    Agency.objects.filter(pk=agency.pk).update(contact_phone="13812345678")
    city = clients["city"]
    assert {agency.pk, b.objects["agency"].pk} <= set(ids(city.get("/api/v1/agencies/", {"page_size": 100})))
    detail = city.get(f"/api/v1/agencies/{agency.pk}/").json()
    assert detail["contact_phone"] == "138****5678" and detail["n_staff"] == 1
    assert ids(clients["agency"].get("/api/v1/agencies/")) == [agency.pk]
    assert clients["agency"].get(f"/api/v1/agencies/{b.objects['agency'].pk}/").status_code == 404
    for role in ("enterprise", "expert", "auditor"):
        assert clients[role].get("/api/v1/agencies/").status_code == 404, role
