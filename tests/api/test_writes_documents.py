"""`POST /api/v1/cases/{id}/documents/`: the documents page's upload through the API, with its checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.cases.models import Document
from qingshen.trail.models import Event

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def url(case):
    return f"/api/v1/cases/{case.pk}/documents/"


def upload(client, case, content=PDF, name="审核报告.pdf", kind="audit_report"):
    return client.post(
        url(case), {"kind": kind, "file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def test_the_enterprise_uploads_a_document_and_it_is_logged(world, api_as):
    before = Document.objects.filter(case=world.case_north).count()
    response = upload(api_as(world.users["enterprise"], "write"), world.case_north)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "audit_report" and body["version"] == 1 and body["original_name"] == "审核报告.pdf"
    assert Document.objects.filter(case=world.case_north).count() == before + 1
    event = Event.objects.get(action="document.upload", object_id=str(body["id"]))
    assert event.actor == world.users["enterprise"]


def test_a_read_token_may_not_upload(world, api_as):
    response = upload(api_as(world.users["enterprise"], "read"), world.case_north)
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["city", "district", "province", "supervisor"])
def test_staff_who_see_the_case_may_not_upload_its_materials(world, api_as, role):
    response = upload(api_as(world.users[role], "write"), world.case_north)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Event.objects.filter(action="document.upload", actor=world.users[role]).exists()


@pytest.mark.parametrize("role", ["enterprise_south", "district_south", "agency", "auditor"])
def test_a_case_outside_the_scope_is_404(world, api_as, role):
    response = upload(api_as(world.users[role], "write"), world.case_north)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_file_over_the_limit_is_413(world, api_as, settings):
    settings.QINGSHEN_UPLOAD_MAX_BYTES = 20
    response = upload(api_as(world.users["enterprise"], "write"), world.case_north)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "20" in response.json()["message"]


def test_the_pages_content_checks_refuse_as_400(world, api_as):
    client = api_as(world.users["enterprise"], "write")
    program = upload(client, world.case_north, content=b"MZ\x90\x00" + b"\x00" * 60, name="报告.pdf")
    assert program.status_code == 400 and program.json()["code"] == "refused"
    issued = upload(client, world.case_north, kind="withdrawal")
    assert issued.status_code == 400 and list(issued.json()["fields"]) == ["kind"]
    missing = client.post(url(world.case_north), {"kind": "audit_report"}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["file"]
