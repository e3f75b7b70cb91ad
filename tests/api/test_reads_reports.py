"""Summary tables (computed now, with the filed snapshots) and the dashboard: the summary page's and the
dashboard page's scopes and figures."""

from django.urls import reverse

from qingshen.reports.models import SummaryFiling
from tests.api.rich import ids


def test_the_summary_table_per_district_with_its_filing(rich, db):
    a, _b, clients = rich
    programme, filing = a.objects["programme"], a.objects["filing"]
    data = clients["city"].get(f"/api/v1/summaries/{programme.pk}/").json()
    rows = {r["district"]: r for r in data["rows"]}
    north = rows[a.objects["district"].pk]
    assert len(rows) == 2 and data["total"]["listed"] == 2 and north["figures"]["listed"] == 1
    assert north["filing"]["id"] == filing.pk and "listed" in north["changed_since_filing"]
    assert {"key", "group", "label", "unit"} <= set(data["columns"][0])
    district = clients["district"].get(f"/api/v1/summaries/{programme.pk}/").json()
    assert [r["district"] for r in district["rows"]] == [a.objects["district"].pk]
    assert clients["city"].get(f"/api/v1/summaries/{a.objects['draft'].pk}/").status_code == 404
    for role in ("enterprise", "agency", "expert", "auditor"):
        assert clients[role].get(f"/api/v1/summaries/{programme.pk}/").status_code == 404, role


def test_filed_snapshots_for_authority_staff(rich, db):
    a, _b, clients = rich
    filing = a.objects["filing"]
    programme = a.objects["programme"].pk
    assert filing.pk in ids(clients["city"].get("/api/v1/summary-filings/", {"programme": programme}))
    assert ids(clients["district"].get("/api/v1/summary-filings/")) == [filing.pk]  # its own row only
    assert clients["district"].get(f"/api/v1/summary-filings/{filing.pk}/").json()["figures"] == {}
    SummaryFiling.objects.filter(pk=filing.pk).update(
        narrative="本年度工作总结", attachment="summaries/x.pdf"
    )
    data = clients["city"].get(f"/api/v1/summary-filings/{filing.pk}/").json()
    assert data["narrative"] == "本年度工作总结"
    where = reverse("summary-filing-attachment", kwargs={"pk": filing.programme_id, "filing_pk": filing.pk})
    assert data["attachment"].endswith(where)
    assert ids(clients["enterprise"].get("/api/v1/summary-filings/")) == []
    assert clients["enterprise"].get(f"/api/v1/summary-filings/{filing.pk}/").status_code == 404


def test_the_dashboard_figures_for_its_roles(rich, db):
    a, b, clients = rich
    response = clients["city"].get("/api/v1/dashboard/")
    data = response.json()
    assert response.status_code == 200 and data["headline"]["listed"] == 2
    assert {c["key"] for c in data["charts"]} >= {"stages", "overdue"}
    narrowed = clients["city"].get("/api/v1/dashboard/", {"district": a.objects["district"].pk}).json()
    assert narrowed["headline"]["listed"] == 1
    assert (
        clients["city"].get("/api/v1/dashboard/", {"district": b.objects["district"].pk}).status_code == 404
    )
    assert clients["city"].get("/api/v1/dashboard/", {"year": "1999"}).status_code == 400
    for role in ("district", "enterprise", "auditor"):
        assert clients[role].get("/api/v1/dashboard/").status_code == 404, role
