"""`POST /api/v1/cases/{id}/transitions/`: the case page's step through the API, its refusals as 409."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from qingshen.cases.models import AuditCase
from qingshen.trail.models import Event


def url(case):
    return f"/api/v1/cases/{case.pk}/transitions/"


def step(client, case, action, version=None, **fields):
    version = case.version if version is None else version
    return client.post(url(case), {"action": action, "expected_version": version, **fields}, format="json")


def test_the_enterprise_discloses_through_the_api_and_the_step_is_logged(world, api_as):
    case = world.case_north
    response = step(api_as(world.users["enterprise"], "write"), case, "disclose", comment="已在官网公开")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "disclosed" and body["version"] == case.version + 1
    case.refresh_from_db()
    assert case.state == "disclosed"
    event = Event.objects.get(action="case.transition.disclose")
    assert event.actor == world.users["enterprise"] and event.object_id == str(case.pk)
    assert event.note == "已在官网公开"


def test_a_read_token_may_not_take_a_step(world, api_as):
    response = step(api_as(world.users["enterprise"], "read"), world.case_north, "disclose")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert AuditCase.objects.get(pk=world.case_north.pk).state == "listed"


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "auditor", "sysadmin"])
def test_a_case_outside_the_scope_is_not_found(world, api_as, role):
    response = step(api_as(world.users[role], "write"), world.case_north, "disclose")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {} and body["message"]
    assert not Event.objects.filter(action__startswith="case.transition").exists()


def test_the_anonymous_caller_is_401(world, api):
    response = step(api, world.case_north, "disclose")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_a_step_the_state_refuses_is_409_with_the_state_and_the_allowed_actions(world, api_as):
    response = step(api_as(world.users["city"], "write"), world.case_north, "publish_result")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_refused"
    assert body["state"] == "listed" and body["version"] == world.case_north.version
    assert body["allowed_actions"] == ["withdraw"]
    assert body["fields"] == {} and body["message"]


def test_a_role_the_step_is_not_for_is_409(world, api_as):
    response = step(api_as(world.users["district"], "write"), world.case_north, "disclose")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_refused"
    assert response.json()["allowed_actions"] == []


def test_a_stale_version_is_409_and_changes_nothing(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    response = step(client, world.case_north, "disclose", version=world.case_north.version + 3)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version" and body["version"] == world.case_north.version
    assert "disclose" in body["allowed_actions"]
    assert AuditCase.objects.get(pk=world.case_north.pk).state == "listed"


def test_the_same_step_sent_twice_is_applied_once(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    assert step(client, world.case_north, "disclose").status_code == 200
    again = step(client, world.case_north, "disclose")  # the version it read before
    assert again.status_code == 409 and again.json()["code"] == "stale_version"
    assert again.json()["state"] == "disclosed"


def test_a_review_step_is_refused_here(world, api_as):
    world.case_north.state = "report_submitted"
    world.case_north.save()
    response = step(api_as(world.users["enterprise"], "write"), world.case_north, "apply_evaluation")
    assert response.status_code == 409 and response.json()["code"] == "transition_refused"


def test_bad_input_is_400_with_the_fields(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    response = client.post(url(world.case_north), {"action": "fly", "comment": "x" * 3000}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"action", "expected_version", "comment"}
    assert all(isinstance(m, str) for messages in body["fields"].values() for m in messages)


def test_a_body_that_is_not_json_is_400_in_the_shape(world, api_as):
    response = api_as(world.users["enterprise"], "write").post(
        url(world.case_north), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("text", ["a\x00b", "a\x07b"])
def test_control_characters_in_the_comment_are_400_not_500(world, api_as, text):
    response = step(api_as(world.users["enterprise"], "write"), world.case_north, "disclose", comment=text)
    assert response.status_code == 400, (connection.vendor, response.content)
    body = response.json()
    assert body["code"] == "invalid" and list(body["fields"]) == ["$.comment"]
    assert AuditCase.objects.get(pk=world.case_north.pk).state == "listed"


def test_the_refusal_speaks_the_requests_language(world, api_as):
    client = api_as(world.users["city"], "write")
    data = {"action": "publish_result", "expected_version": world.case_north.version}
    en = client.post(url(world.case_north), data, format="json", HTTP_ACCEPT_LANGUAGE="en")
    zh = client.post(url(world.case_north), data, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "is not possible while the case is" in en.json()["message"]
    assert "不能执行" in zh.json()["message"]


def _pdf(size=64):
    return SimpleUploadedFile("撤销文件.pdf", b"%PDF-1.4 " + b"x" * size, content_type="application/pdf")


def test_the_city_withdraws_with_its_document_in_one_multipart_request(world, api_as):
    client = api_as(world.users["city"], "write")
    data = {"action": "withdraw", "expected_version": world.case_north.version, "reason": "企业已关闭"}
    response = client.post(url(world.case_north), {**data, "document": _pdf()}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "withdrawn"
    assert world.case_north.documents.filter(kind="withdrawal").count() == 1
    assert Event.objects.filter(action="case.transition.withdraw", actor=world.users["city"]).exists()


def test_a_withdrawal_without_its_document_is_409(world, api_as):
    client = api_as(world.users["city"], "write")
    response = step(client, world.case_north, "withdraw", reason="企业已关闭")
    assert response.status_code == 409 and response.json()["code"] == "transition_refused"


def test_a_document_over_the_limit_is_413(world, api_as, settings):
    settings.QINGSHEN_UPLOAD_MAX_BYTES = 32
    client = api_as(world.users["city"], "write")
    data = {"action": "withdraw", "expected_version": world.case_north.version, "reason": "企业已关闭"}
    response = client.post(url(world.case_north), {**data, "document": _pdf(100)}, format="multipart")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not world.case_north.documents.filter(kind="withdrawal").exists()


def test_the_session_may_take_a_step_too(world, client_for):
    client = client_for(world.users["enterprise"])
    response = client.post(
        url(world.case_north),
        {"action": "disclose", "expected_version": world.case_north.version},
        content_type="application/json",
    )
    assert response.status_code == 200
