"""Listings, documents (metadata and the download address), disclosures, options with benefits, and
the case list's filters as on the case list page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from qingshen.cases.models import AuditCase, Option
from qingshen.programmes.models import Listing
from tests.api.rich import ids


def test_listings_a_district_sees_its_own_enterprises(rich, db):
    a, _b, clients = rich
    listing = a.objects["listing"]
    programme = a.objects["programme"]
    city = ids(clients["city"].get("/api/v1/listings/", {"programme": programme.pk}))
    # The city's two listed enterprises and the lead of the rich world's group audit.
    assert len(city) == Listing.objects.filter(programme=programme).count() == 3 and listing.pk in city
    own = ids(clients["district"].get("/api/v1/listings/", {"programme": programme.pk}))
    in_district = Listing.objects.filter(
        programme=programme, enterprise__jurisdiction=listing.enterprise.jurisdiction
    )
    assert (
        listing.pk in own
        and set(own) == set(in_district.values_list("pk", flat=True))
        and len(own) < len(city)
    )
    detail = clients["enterprise"].get(f"/api/v1/listings/{listing.pk}/").json()
    assert detail["grounds"] == ["emissions"] and detail["case"] == a.objects["case"].pk
    assert clients["enterprise_south"].get(f"/api/v1/listings/{listing.pk}/").status_code == 404
    assert ids(clients["city"].get("/api/v1/listings/", {"ground": "energy"})) == []


def test_documents_metadata_and_the_download_through_the_case_page(rich, db):
    a, _b, clients = rich
    doc = a.objects["document"]
    response = clients["enterprise"].get(f"/api/v1/documents/{doc.pk}/")
    data = response.json()
    assert data["sha256"] == doc.sha256 and "file" not in data
    assert data["download"].endswith(
        reverse("document-download", kwargs={"pk": doc.case_id, "doc_pk": doc.pk})
    )
    assert doc.pk in ids(clients["district"].get("/api/v1/documents/", {"case": doc.case_id}))
    for role in ("enterprise_south", "expert", "auditor"):
        assert clients[role].get(f"/api/v1/documents/{doc.pk}/").status_code == 404, role


def test_disclosures_whoever_sees_the_case(rich, db):
    a, _b, clients = rich
    disclosure = a.objects["disclosure"]
    data = clients["city"].get(f"/api/v1/disclosures/{disclosure.pk}/").json()
    assert data["status"] == "draft" and data["case"] == a.objects["case"].pk
    assert ids(clients["enterprise"].get("/api/v1/disclosures/", {"status": "draft"})) == [disclosure.pk]
    assert clients["enterprise_south"].get(f"/api/v1/disclosures/{disclosure.pk}/").status_code == 404


def test_options_with_benefits(rich, db):
    a, _b, clients = rich
    option = a.objects["option"]
    data = clients["enterprise"].get(f"/api/v1/options/{option.pk}/").json()
    assert data["code"] == "F1" and data["cost_class"] == "low" and len(data["benefits"]) == 1
    assert data["benefits"][0]["expected"].startswith("3")
    assert clients["enterprise_south"].get(f"/api/v1/options/{option.pk}/").status_code == 404
    assert ids(clients["district"].get("/api/v1/options/", {"cost_class": "high"})) == []


def test_the_option_list_takes_the_same_queries_for_more_options(rich, db, django_assert_max_num_queries):
    a, _b, clients = rich
    client = clients["city"]
    with django_assert_max_num_queries(20) as before:
        assert len(ids(client.get("/api/v1/options/"))) == 2
    option = a.objects["option"]
    for n in range(2, 7):
        Option.objects.create(
            case=a.objects["case_review"],
            code=f"G{n}",
            name="方案",
            cost_class=Option.CostClass.HIGH,
            investment=n,
            planned_on=option.planned_on,
            updated_by=option.updated_by,
        )
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert len(ids(client.get("/api/v1/options/"))) == 7


def test_case_filters_as_on_the_case_list_page(world, api_as):
    city = api_as(world.users["city"])
    get = lambda **q: ids(city.get("/api/v1/cases/", q))  # noqa: E731
    assert get(district=world.north.pk) == [world.case_north.pk]
    assert get(district=world.city.pk, ground="energy") == [world.case_south.pk]
    assert get(ground="emissions") == [world.case_north.pk]
    assert get(lead_authority="energy") == [world.case_south.pk]
    assert get(q="电镀") == [world.case_south.pk]
    assert get(q=world.ent_north.uscc.lower()) == [world.case_north.pk]
    AuditCase.objects.filter(pk=world.case_south.pk).update(
        next_due_on=timezone.localdate() - datetime.timedelta(1)
    )
    assert get(overdue="true", district=world.south.pk) == [world.case_south.pk]
    bad = city.get("/api/v1/cases/", {"ground": "nonsense"})
    assert bad.status_code == 400 and "ground" in bad.json()["fields"]
    # A jurisdiction outside the caller's scope matches nothing, as an unknown one.
    district = api_as(world.users["district"])
    assert district.get("/api/v1/cases/", {"district": world.south.pk}).json()["results"] == []


def test_option_and_benefit_totals_per_programme_and_jurisdiction_for_authority_staff(rich, db):
    a, _b, clients = rich
    total, benefit = a.objects["option_total"], a.objects["benefit_total"]
    programme = a.objects["programme"].pk
    north = a.objects["case"].jurisdiction_id
    query = {"programme": programme, "jurisdiction": north}
    rows = clients["province"].get("/api/v1/option-totals/", query).json()["results"]
    assert [(r["id"], r["options"], r["cost_class"]) for r in rows] == [(total.pk, 1, "low")]
    assert ids(clients["district"].get("/api/v1/option-totals/")) == [total.pk]  # the north's only
    assert rows[0]["investment"].startswith("12")
    data = clients["district"].get(f"/api/v1/benefit-totals/{benefit.pk}/").json()
    assert data["expected"].startswith("3") and data["indicator_code"]
    for role in ("enterprise", "agency", "expert"):
        assert ids(clients[role].get("/api/v1/option-totals/")) == [], role
        assert clients[role].get(f"/api/v1/benefit-totals/{benefit.pk}/").status_code == 404, role


def test_a_case_history_as_on_the_case_page_for_whoever_sees_the_case(rich, db):
    a, b, clients = rich
    case = a.objects["case_review"]  # walked to "evaluating" through the real steps
    response = clients["enterprise_south"].get(f"/api/v1/cases/{case.pk}/history/", {"page_size": 100})
    steps = response.json()["results"]
    assert response.status_code == 200 and len(steps) >= 3
    assert [s["at"] for s in steps] == sorted(s["at"] for s in steps)
    assert "evaluating" in {s["state_after"] for s in steps} and all(s["action_label"] for s in steps)
    assert "before" not in steps[0]  # the timeline's fields, not the log's row
    for role in ("enterprise", "district", "auditor"):
        assert clients[role].get(f"/api/v1/cases/{case.pk}/history/").status_code == 404, role
    assert clients["city"].get(f"/api/v1/cases/{b.objects['case_review'].pk}/history/").status_code == 404
    assert clients["city"].get("/api/v1/cases/x/history/").status_code == 404
    assert clients["anonymous"].get(f"/api/v1/cases/{case.pk}/history/").status_code == 401
