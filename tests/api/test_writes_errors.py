"""Every API error has one shape, `{code, message, fields}`, in the request's language, documented in the
schema; nothing the caller sends is a 500."""

import pytest
from django.urls import reverse

from qingshen.api.errors import exception_handler

SHAPE = {"code", "message", "fields"}


def test_an_unauthenticated_call_speaks_the_requests_language(db, api):
    en = api.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en")
    zh = api.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert en.status_code == zh.status_code == 401
    assert set(en.json()) == set(zh.json()) == SHAPE
    assert en.json()["code"] == "not_authenticated"
    assert en.json()["message"] != zh.json()["message"]


def test_a_method_the_endpoint_does_not_take_is_405_in_the_shape(world, api_as):
    response = api_as(world.users["city"], "write").delete(f"/api/v1/cases/{world.case_north.pk}/")
    assert response.status_code == 405
    assert set(response.json()) == SHAPE and response.json()["code"] == "method_not_allowed"


def test_an_unknown_media_type_is_415_in_the_shape(world, api_as):
    response = api_as(world.users["enterprise"], "write").post(
        f"/api/v1/cases/{world.case_north.pk}/transitions/", "<xml/>", content_type="application/xml"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_body_over_the_request_limit_is_413_in_the_shape(world, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(world.users["enterprise"], "write").post(
        f"/api/v1/cases/{world.case_north.pk}/transitions/",
        {"action": "disclose", "expected_version": 0, "comment": "长" * 2000},
        format="json",
    )
    assert response.status_code == 413
    assert set(response.json()) == SHAPE and response.json()["code"] == "too_large"


def test_an_unexpected_error_is_still_answered_in_the_shape(caplog):
    response = exception_handler(RuntimeError("boom"), {})
    assert response.status_code == 500
    assert set(response.data) == SHAPE and response.data["code"] == "server_error"
    assert "boom" not in response.data["message"]
    assert "API error" in caplog.text


def test_the_schema_documents_the_error_shape_on_every_operation(client, db):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) >= SHAPE
    conflict = schema["components"]["schemas"]["Conflict"]
    assert {"state", "version", "allowed_actions"} <= set(conflict["properties"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "429"} <= set(operation["responses"]), (path, method)
            if "{" in path:
                assert "404" in operation["responses"], (path, method)
    transition = schema["paths"]["/api/v1/cases/{id}/transitions/"]["post"]["responses"]
    assert transition["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Conflict")
    assert "413" in transition


@pytest.mark.parametrize(
    "body", ['{"action": "disclose", "expected_version": 0, "comment": "\\u0000"}', "\x00"]
)
def test_nul_in_a_json_body_is_400_not_500(world, api_as, body):
    response = api_as(world.users["enterprise"], "write").post(
        f"/api/v1/cases/{world.case_north.pk}/transitions/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= SHAPE


def test_an_unknown_api_address_is_404_in_the_shape(db, api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert set(response.json()) == SHAPE and response.json()["code"] == "not_found"
    assert api.get("/api/v1/cases").status_code == 301  # the slash is still added for a known endpoint
