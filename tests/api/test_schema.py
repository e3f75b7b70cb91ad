"""The OpenAPI document lists every endpoint; its documentation page loads Swagger UI from our own static files."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse

ENDPOINTS = [
    "/api/v1/jurisdictions/",
    "/api/v1/jurisdictions/{id}/",
    "/api/v1/enterprises/",
    "/api/v1/enterprises/{id}/",
    "/api/v1/programmes/",
    "/api/v1/programmes/{id}/",
    "/api/v1/cases/",
    "/api/v1/cases/{id}/",
    "/api/v1/cases/{id}/transitions/",
    "/api/v1/cases/{id}/documents/",
    "/api/v1/programmes/{id}/milestones/",
    "/api/v1/programmes/{id}/milestones/{milestone_pk}/",
    "/api/v1/cases/{id}/reviews/",
    "/api/v1/reviews/{id}/check/",
    "/api/v1/reviews/{id}/panel/",
    "/api/v1/reviews/{id}/seats/{seat_pk}/redraw/",
    "/api/v1/reviews/{id}/confirmation/",
    "/api/v1/seats/{id}/answer/",
    "/api/v1/seats/{id}/score-sheet/",
    "/api/v1/me/",
    "/api/v1/reviews/{id}/cosign/",
    "/api/v1/permits/",
    "/api/v1/permit-imports/{id}/commit/",
    "/api/v1/cases/{id}/targets/",
    "/api/v1/cases/{id}/focus/",
    "/api/v1/annual-disclosures/",
    "/api/v1/public/annual-disclosures/years/",
    "/api/v1/cases/{id}/annual-disclosures/{year}/",
    "/api/v1/cases/{id}/annual-disclosures/{year}/submit/",
    "/api/v1/enterprises/{id}/permits/",
    "/api/v1/enterprises/{id}/permits/{permit_pk}/",
    "/api/v1/meetings/{id}/seats/accept/",
    "/api/v1/public/notices/",
    "/api/v1/public/notices/{id}/",
]


def _api_routes() -> set[str]:
    """Every address under /api/v1/ the URL configuration serves, written as the schema writes it."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = set()

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and route.replace("^", "").startswith("api/v1/"):
                path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route.replace("^", "").replace("$", ""))
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
                if "format" not in path and path != "api/v1/":
                    found.add("/" + path.replace("{pk}", "{id}"))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_schema_is_openapi_3_and_lists_every_endpoint(client, db):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(ENDPOINTS) <= set(schema["paths"])
    assert set(schema["paths"]) == _api_routes()
    params = {p["name"] for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert {"programme", "state", "overdue", "page", "page_size"} <= params
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_speaks_the_requests_language(client, db):
    zh = client.get(reverse("api-schema"), {"format": "json"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    en = client.get(reverse("api-schema"), {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["info"]["title"] == "qingshen REST API"
    assert zh["info"]["title"] != en["info"]["title"]


def test_the_docs_page_loads_only_local_assets(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<script>" not in html  # the CSP forbids inline scripts
    assets = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert {
        "vendor/swagger-ui/swagger-ui-bundle.js",
        "vendor/swagger-ui/swagger-ui.css",
        "api/docs.js",
    } <= set(assets)
    assert all(finders.find(a) for a in assets)
