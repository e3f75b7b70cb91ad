"""Every new read endpoint, every role of world A: world B's objects are not found (404), never shown;
A's lists hold none of B's rows. Shared registers (agencies, the expert pool, the industries) aside."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qingshen.accounts.roles import AUTHORITY_ROLES

# endpoint → the object kind of rich_world its detail names
DETAIL = {
    "listings": "listing",
    "documents": "document",
    "disclosures": "disclosure",
    "options": "option",
    "option-totals": "option_total",
    "benefit-totals": "benefit_total",
    "reviews": "review",
    "warnings": "warning",
    "accountability": "accountability",
    "penalties": "penalty",
    "spotchecks": "spotcheck",
    "summaries": "programme",
    "summary-filings": "filing",
    "agencies": "agency",
    "experts": "expert",
    "permits": "permit",
    "permit-imports": "permit_batch",
    "annual-disclosures": "annual_disclosure",
}
SHARED = {"agencies": set(AUTHORITY_ROLES), "experts": {"city", "district", "province", "supervisor"}}
ROLES = [
    "city",
    "province",
    "district",
    "supervisor",
    "enterprise",
    "enterprise_south",
    "agency",
    "expert",
    "auditor",
    "security",
    "sysadmin",
    "anonymous",
]


@pytest.mark.parametrize("endpoint", sorted(DETAIL))
def test_the_other_worlds_objects_are_not_found(rich, db, endpoint):
    _a, b, clients = rich
    foreign = b.objects[DETAIL[endpoint]]
    problems = []
    for role in ROLES:
        response = clients[role].get(f"/api/v1/{endpoint}/{foreign.pk}/")
        expected = {401} if role == "anonymous" else {404}
        if role in SHARED.get(endpoint, ()):
            expected = {200}
        if response.status_code not in expected:
            problems.append(f"{role}: {response.status_code}")
    assert problems == []


LISTS = [e for e in DETAIL if e != "summaries"] + ["industries", "log"]


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_lists_hold_none_of_the_other_worlds_rows(rich, db, endpoint):
    _a, b, clients = rich
    kind = DETAIL.get(endpoint)
    foreign = b.objects[kind].pk if kind else None
    for role in ROLES[:-1]:
        response = clients[role].get(f"/api/v1/{endpoint}/", {"page_size": 100})
        assert response.status_code in (200, 404), (role, response.status_code)
        if response.status_code == 200 and kind and role not in SHARED.get(endpoint, ()):
            assert foreign not in [r["id"] for r in response.json()["results"]], role


def test_a_bad_id_is_not_found_and_never_a_500(rich, db):
    _a, _b, clients = rich
    for endpoint in sorted(DETAIL):
        assert clients["city"].get(f"/api/v1/{endpoint}/x/").status_code == 404, endpoint


# Lists the worlds hold a single row of for the city (their nested rows are prefetched all the same).
ONE_ROW = {"reviews", "spotchecks", "public/results", "permits", "annual-disclosures"}


def _queries(client, path, size):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, {"page_size": size})
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "role, endpoint",
    # A permit import is its uploader's (the district's in the rich worlds): the city lists none.
    [("city", e) for e in sorted(LISTS) if e not in ("log", "permit-imports")]
    + [("auditor", "log")]
    + [("anonymous", e) for e in ("public/lists", "public/disclosures", "public/results")],
)
def test_a_page_of_many_rows_takes_the_queries_of_a_page_of_one(rich, db, role, endpoint):
    _a, _b, clients = rich
    path = f"/api/v1/{endpoint}/"
    _queries(clients[role], path, 1)  # warm the per-process caches (parameters, labels)
    one, _n = _queries(clients[role], path, 1)
    many, n = _queries(clients[role], path, 100)
    assert many == one, f"{n} rows: {many} queries, one row: {one}"
    assert n >= 2 or endpoint in ONE_ROW, f"only {n} rows: the count measures nothing"
