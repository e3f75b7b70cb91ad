"""Filing 附件3 with the written summary, next year's work plan and an optional signed file."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from qingshen.cases.services import delegation_create
from qingshen.reports.models import SummaryFiling
from qingshen.trail.models import Event
from tests import factories as f

PDF = b"%PDF-1.4 signed summary"


def _url(w, district=None):
    return reverse("summary-file", args=[w.programme.pk, (district or w.north).pk])


def test_the_filing_form_is_the_districts_own(world, client_for):
    assert client_for(world.users["district"]).get(_url(world)).status_code == 200
    for who in ("city", "district_south", "enterprise", "auditor", "province"):
        assert client_for(world.users[who]).get(_url(world)).status_code == 404
    assert client_for(world.users["district_south"]).post(_url(world), {"narrative": "x"}).status_code == 404
    assert not SummaryFiling.objects.exists()


def test_filing_keeps_the_text_and_the_file_and_the_city_reads_them(world, client_for):
    district = client_for(world.users["district"])
    response = district.post(
        _url(world),
        {
            "narrative": "全年完成评估3家。\n验收2家。",
            "work_plan": "明年计划开展审核5家。",
            "attachment": SimpleUploadedFile("总结.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    filing = SummaryFiling.objects.get()
    assert filing.narrative.startswith("全年完成评估3家") and filing.work_plan == "明年计划开展审核5家。"
    assert (
        filing.attachment_sha256 == hashlib.sha256(PDF).hexdigest() and filing.attachment_name == "总结.pdf"
    )
    event = Event.objects.get(action="summary.file", object_id=str(filing.pk))
    assert event.after["attachment_sha256"] == filing.attachment_sha256
    city = client_for(world.users["city"])
    detail = city.get(reverse("summary-filing", args=[world.programme.pk, filing.pk])).content.decode()
    assert "全年完成评估3家。<br>验收2家。" in detail and "明年计划开展审核5家。" in detail
    download = city.get(reverse("summary-filing-attachment", args=[world.programme.pk, filing.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert Event.objects.filter(action="summary.attachment.download").count() == 1
    # Filing again starts from the last text.
    assert "明年计划开展审核5家。" in client_for(world.users["district"]).get(_url(world)).content.decode()
    other = client_for(world.users["district_south"])
    assert (
        other.get(reverse("summary-filing-attachment", args=[world.programme.pk, filing.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "data",
    [
        {"attachment": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\0" * 60)},
        {"attachment": SimpleUploadedFile("empty.pdf", b"")},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_filed(world, client_for, data):
    response = client_for(world.users["district"]).post(_url(world), data)
    assert response.status_code == 400
    assert f.form_errors_shown(response, "summary-file")
    assert not SummaryFiling.objects.exists()


@pytest.mark.parametrize("data", [{"narrative": "总结\x00"}, {"work_plan": "计划\x1b[31m"}])
def test_control_characters_are_refused_before_the_view(world, client_for, data):
    response = client_for(world.users["district"]).post(_url(world), data)
    assert response.status_code == 400 and not SummaryFiling.objects.exists()


def test_an_attachment_over_the_limit_is_refused(world, client_for, settings):
    settings.QINGSHEN_UPLOAD_MAX_BYTES = len(PDF) - 1
    response = client_for(world.users["district"]).post(
        _url(world), {"attachment": SimpleUploadedFile("big.pdf", PDF)}
    )
    assert response.status_code == 400 and not SummaryFiling.objects.exists()
    assert any(
        "limit" in e or "上限" in e or "超过" in e for e in f.form_errors_shown(response, "summary-file")
    )


def test_the_xlsx_has_a_sheet_per_enterprise(world, client_for):
    city = world.users["city"]
    f.walk(world.case_north, "implementing", city_user=city, enterprise_user=world.users["enterprise"])
    delegation_create(
        case=world.case_north,
        agency=world.agency,
        actor=world.users["enterprise"],
        starts_on=world.case_north.published_on,
    )
    response = client_for(city).get(reverse("summary-export", args=[world.programme.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(book.sheet_names) == 3  # the table, per enterprise, the voluntary audits
    rows = book.get_sheet_by_index(1).to_python()
    by_name = {r[1]: r for r in rows[1:]}
    north = by_name[world.ent_north.name]
    assert north[0] == world.case_north.jurisdiction.name and north[2] == world.ent_north.uscc
    assert north[6] == "通过" and north[8] == "" and north[10] == world.agency.name
    assert set(by_name) == {world.ent_north.name, world.ent_south.name}
    # A district's export holds its own enterprises only.
    response = client_for(world.users["district"]).get(reverse("summary-export", args=[world.programme.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(1).to_python()
    assert [r[1] for r in rows[1:]] == [world.ent_north.name]
