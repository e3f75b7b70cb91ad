"""Warnings, accountability records, penalties and spot checks: the supervision pages' scopes."""

from tests.api.rich import ids


def test_warnings_staff_and_the_enterprise_concerned(rich, db):
    a, _b, clients = rich
    warning = a.objects["warning"]
    assert warning.pk in ids(clients["city"].get("/api/v1/warnings/"))
    assert ids(clients["enterprise"].get("/api/v1/warnings/", {"level": "overdue"})) == [warning.pk]
    assert (
        clients["district"].get(f"/api/v1/warnings/{warning.pk}/").json()["deadline"] == warning.deadline_id
    )
    assert warning.pk not in ids(clients["enterprise_south"].get("/api/v1/warnings/"))
    assert clients["enterprise_south"].get(f"/api/v1/warnings/{warning.pk}/").status_code == 404
    for role in ("expert", "auditor", "sysadmin"):
        assert clients[role].get("/api/v1/warnings/").status_code == 404, role


def test_accountability_records_for_authority_staff(rich, db):
    a, _b, clients = rich
    record = a.objects["accountability"]
    assert record.pk in ids(clients["supervisor"].get("/api/v1/accountability/", {"open": "true"}))
    assert ids(clients["district"].get("/api/v1/accountability/")) == [record.pk]  # the north's only
    assert clients["district"].get(f"/api/v1/accountability/{record.pk}/").json()["duty"] == "未按时受理"
    assert ids(clients["city"].get("/api/v1/accountability/", {"open": "false"})) == []
    for role in ("enterprise", "agency", "expert", "auditor"):
        assert clients[role].get("/api/v1/accountability/").status_code == 404, role


def test_penalties_for_authority_staff(rich, db):
    a, _b, clients = rich
    penalty = a.objects["penalty"]
    data = clients["province"].get(f"/api/v1/penalties/{penalty.pk}/").json()
    assert data["violation_code"] == "art39_no_audit" and data["enterprise"] == a.objects["enterprise"].pk
    assert ids(clients["district"].get("/api/v1/penalties/", {"case": penalty.case_id})) == [penalty.pk]
    assert ids(clients["enterprise"].get("/api/v1/penalties/")) == []
    assert clients["enterprise"].get(f"/api/v1/penalties/{penalty.pk}/").status_code == 404


def test_spot_checks_of_the_city_with_their_cases(rich, db):
    a, _b, clients = rich
    spot = a.objects["spotcheck"]
    data = clients["city"].get(f"/api/v1/spotchecks/{spot.pk}/").json()
    assert data["mode"] == "count" and [i["case"] for i in data["items"]] == [a.objects["case"].pk]
    assert ids(clients["supervisor"].get("/api/v1/spotchecks/", {"year": spot.year})) == [spot.pk]
    assert clients["district"].get(f"/api/v1/spotchecks/{spot.pk}/").status_code == 404
    assert clients["enterprise"].get("/api/v1/spotchecks/").status_code == 404


def test_warnings_still_open_or_history(rich, db):
    a, _b, clients = rich
    warning = a.objects["warning"]
    city = clients["city"]
    assert warning.pk in ids(city.get("/api/v1/warnings/", {"still_open": "true"}))
    assert warning.pk not in ids(city.get("/api/v1/warnings/", {"still_open": "false"}))
    warning.deadline.__class__.objects.filter(pk=warning.deadline_id).update(status="met")
    assert warning.pk not in ids(city.get("/api/v1/warnings/", {"still_open": "true"}))
    assert warning.pk in ids(city.get("/api/v1/warnings/", {"still_open": "false"}))
