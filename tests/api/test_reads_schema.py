"""The OpenAPI document lists every read endpoint, describes its parameters, marks the public ones as
needing no token, and still generates (and validates) without a warning."""

from django.core.management import call_command
from django.urls import reverse

READS = [
    "/api/v1/cases/{case_pk}/history/",
    "/api/v1/industries/",
    "/api/v1/industries/{id}/",
    "/api/v1/agencies/",
    "/api/v1/agencies/{id}/",
    "/api/v1/listings/",
    "/api/v1/listings/{id}/",
    "/api/v1/documents/",
    "/api/v1/documents/{id}/",
    "/api/v1/disclosures/",
    "/api/v1/disclosures/{id}/",
    "/api/v1/options/",
    "/api/v1/options/{id}/",
    "/api/v1/option-totals/",
    "/api/v1/option-totals/{id}/",
    "/api/v1/benefit-totals/",
    "/api/v1/benefit-totals/{id}/",
    "/api/v1/reviews/",
    "/api/v1/reviews/{id}/",
    "/api/v1/reviews/{id}/verification/",
    "/api/v1/experts/",
    "/api/v1/experts/{id}/",
    "/api/v1/warnings/",
    "/api/v1/warnings/{id}/",
    "/api/v1/accountability/",
    "/api/v1/accountability/{id}/",
    "/api/v1/penalties/",
    "/api/v1/penalties/{id}/",
    "/api/v1/spotchecks/",
    "/api/v1/spotchecks/{id}/",
    "/api/v1/summaries/{id}/",
    "/api/v1/summary-filings/",
    "/api/v1/summary-filings/{id}/",
    "/api/v1/dashboard/",
    "/api/v1/log/",
    "/api/v1/log/{id}/",
]
PUBLIC = [
    "/api/v1/public/lists/",
    "/api/v1/public/lists/{id}/",
    "/api/v1/public/lists/{id}/entries/",
    "/api/v1/public/results/",
    "/api/v1/public/search/",
    "/api/v1/public/disclosures/",
    "/api/v1/public/disclosures/{id}/",
    "/api/v1/public/procedure/",
]


def _schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def test_every_read_endpoint_is_described(client, db):
    schema = _schema(client)
    assert set(READS + PUBLIC) <= set(schema["paths"])
    for path in READS + PUBLIC:
        op = schema["paths"][path]["get"]
        assert op["summary"] and op["tags"], path
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"programme", "district", "state", "overdue", "ground", "lead_authority", "q"} <= params
    assert {"year", "district"} <= {
        p["name"] for p in schema["paths"]["/api/v1/dashboard/"]["get"]["parameters"]
    }


def test_public_endpoints_need_no_token_and_the_others_do(client, db):
    paths = _schema(client)["paths"]
    for path in PUBLIC:
        assert paths[path]["get"]["security"] == [{}], path
    for path in READS:
        assert {"tokenAuth": []} in paths[path]["get"]["security"], path


def test_the_schema_generates_and_validates_without_warnings(db, tmp_path):
    # --fail-on-warn turns any warning of drf-spectacular (an unresolvable field, an enum name
    # collision, a missing path parameter type) into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
