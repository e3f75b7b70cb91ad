"""Uploads: content checks, digests, versions and supersession, locks, scoped and logged downloads."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from qingshen.cases.documents import document_lock_for_review, document_store, document_store_pair
from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import Document, DocumentImmutable, HardDeleteRefused
from qingshen.trail.models import Event
from tests.factories import form_errors_shown

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 60


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
OFD = _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<doc/>"})


def _store(world, name, data, kind="audit_report", user="enterprise"):
    return document_store(
        case=world.case_north, kind=kind, upload=ContentFile(data, name=name), actor=world.users[user]
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores into its own empty media directory, so leftovers can be counted."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(settings, case):
    import pathlib

    return sorted(p for p in pathlib.Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "data", "family"),
    [
        ("报告.pdf", PDF, "pdf"),
        ("报告.docx", DOCX, "docx"),
        ("台账.xlsx", XLSX, "xlsx"),
        ("报告.doc", OLE2, "ole2"),
        ("报告.wps", OLE2, "ole2"),
        ("台账.et", OLE2, "ole2"),
        ("发票.ofd", OFD, "ofd"),
        ("现场.png", PNG, "png"),
        ("现场.JPG", JPG, "jpg"),
        ("材料.zip", _zip({"a.pdf": PDF, "照片/b.png": PNG, "c.docx": DOCX}), "zip"),
    ],
)
def test_good_files_are_accepted_by_content(world, name, data, family):
    doc = _store(world, name, data)
    assert doc.content_type == family and doc.size == len(data)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.pdf", EXE),  # a renamed Windows program
        ("报告.exe", PDF),  # an executable's name
        ("run.docx", ELF),  # a renamed Linux program
        ("脚本.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("报告.docx", PDF),  # content contradicts the extension
        ("照片.png", JPG),
        ("报告.pdf", b"just some text"),  # not an accepted type
        ("材料.zip", _zip({"a.pdf": PDF, "setup.exe": EXE})),  # an executable inside
        ("材料.zip", _zip({"a.pdf": EXE})),  # a renamed executable inside
        ("材料.zip", _zip({"inner.zip": _zip({"a.pdf": PDF})})),  # an archive inside
        ("材料.zip", b"PK\x03\x04broken"),  # a damaged zip
    ],
)
def test_refused_files_leave_nothing(world, settings, name, data):
    before, files_before = Document.objects.count(), _files(settings, world.case_north)
    with pytest.raises(DocumentRefused) as err:
        _store(world, name, data)
    assert err.value.message
    assert Document.objects.count() == before
    assert _files(settings, world.case_north) == files_before


def test_zip_bomb_is_refused(world, settings):
    settings.QINGSHEN_ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    with pytest.raises(DocumentRefused):
        _store(world, "材料.zip", _zip({"a.pdf": PDF + b"\x00" * 5000}))


def test_over_the_limit_is_refused(world, settings):
    settings.QINGSHEN_UPLOAD_MAX_BYTES = len(PDF) - 1
    with pytest.raises(DocumentRefused):
        _store(world, "报告.pdf", PDF)
    settings.QINGSHEN_UPLOAD_MAX_BYTES = len(PDF)
    assert _store(world, "报告.pdf", PDF).size == len(PDF)


class _BreaksOff(io.BytesIO):
    """An upload whose connection drops after the first chunk."""

    name = "报告.pdf"
    size = None

    def read(self, n=-1):
        if self.tell() > 0:
            raise OSError("connection reset")
        return super().read(1024)


def test_interrupted_upload_leaves_no_record_and_no_file(world, settings):
    files_before = _files(settings, world.case_north)
    with pytest.raises(DocumentRefused):
        document_store(
            case=world.case_north,
            kind="audit_report",
            upload=_BreaksOff(PDF + b"\x00" * 5000),
            actor=world.users["enterprise"],
        )
    assert not Document.objects.filter(kind="audit_report").exists()
    assert _files(settings, world.case_north) == files_before


def test_failing_disk_write_leaves_no_partial_file(world, settings, monkeypatch):
    original = FileSystemStorage._save

    def half_written(self, name, content):
        original(self, name, ContentFile(b"%PDF-1.4 partial"))
        raise OSError("disk full")

    files_before = _files(settings, world.case_north)
    monkeypatch.setattr(FileSystemStorage, "_save", half_written)
    with pytest.raises(OSError):
        _store(world, "报告.pdf", PDF)
    assert not Document.objects.filter(kind="audit_report").exists()
    assert _files(settings, world.case_north) == files_before


def test_digests_against_known_vectors(world):
    doc = _store(world, "abc.pdf", b"%PDF-" + b"abc")
    assert doc.sha256 == hashlib.sha256(b"%PDF-abc").hexdigest()
    from qingshen.cases.documents import sm3_hasher

    h = sm3_hasher()
    h.update(b"abc")  # GB/T 32905-2016 test vector
    assert h.hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    h = sm3_hasher()
    h.update(b"abcd" * 16)  # the standard's second vector
    assert h.hexdigest() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    h = sm3_hasher()
    h.update(b"%PDF-abc")
    assert doc.sm3 == h.hexdigest()


def test_each_upload_is_a_new_version_superseding_the_last(world, client_for):
    first = _store(world, "报告v1.pdf", PDF)
    second = _store(world, "报告v2.pdf", PDF + b"% v2\n")
    third = _store(world, "报告v3.pdf", PDF + b"% v3\n")
    first.refresh_from_db()
    second.refresh_from_db()
    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert first.superseded_by == second and second.superseded_by == third and third.is_current
    # Nothing overwritten: every version's file is still there with its own content.
    for doc in (first, second, third):
        with doc.file.open("rb") as fh:
            assert hashlib.sha256(fh.read()).hexdigest() == doc.sha256
    # Another kind has its own versions.
    assert _store(world, "照片.png", PNG, kind="photo").version == 1
    page = client_for(world.users["enterprise"]).get(reverse("case-documents", args=[world.case_north.pk]))
    html = page.content.decode()
    for doc in (first, second, third):
        assert doc.sm3 in html and doc.sha256 in html


def test_stored_documents_are_never_changed_or_deleted(world):
    doc = _store(world, "报告.pdf", PDF)
    doc.original_name = "改名.pdf"
    with pytest.raises(DocumentImmutable):
        doc.save()
    with pytest.raises(HardDeleteRefused):
        doc.delete()


def test_a_generated_pair_stays_current_together_and_a_reissue_supersedes_both(world):
    city = world.users["city"]
    kw = {"case": world.case_north, "kind": "notice_letter", "stem": "一次性告知书", "actor": city}
    pdf, docx = document_store_pair(pdf=PDF, docx=DOCX, **kw)
    assert (pdf.version, docx.version) == (1, 2) and pdf.is_current and docx.is_current
    again = document_store_pair(pdf=PDF + b"% 2\n", docx=DOCX, **kw)
    pdf.refresh_from_db()
    docx.refresh_from_db()
    assert pdf.superseded_by == again[0] and docx.superseded_by == again[1]
    assert all(d.is_current for d in again)


def test_a_document_used_in_a_review_can_only_be_superseded(world):
    doc = _store(world, "报告.pdf", PDF)
    document_lock_for_review(document=doc, actor=world.users["city"])
    doc.refresh_from_db()
    assert doc.used_in_review
    assert Event.objects.filter(action="document.lock", object_id=str(doc.pk)).count() == 1
    document_lock_for_review(document=doc, actor=world.users["city"])  # idempotent
    assert Event.objects.filter(action="document.lock", object_id=str(doc.pk)).count() == 1
    doc.sha256 = "0" * 64
    with pytest.raises(DocumentImmutable):
        doc.save(update_fields=["sha256", "used_in_review"])
    newer = _store(world, "报告修改版.pdf", PDF + b"% rev\n")
    doc.refresh_from_db()
    assert doc.superseded_by == newer and doc.used_in_review and not newer.used_in_review


def test_enterprise_a_cannot_fetch_enterprise_b_file_by_url(world, client_for):
    doc = _store(world, "报告.pdf", PDF)
    url = reverse("document-download", args=[world.case_north.pk, doc.pk])
    assert client_for(world.users["enterprise_south"]).get(url).status_code == 404
    # Nor by pairing its own case with the other's document id.
    assert (
        client_for(world.users["enterprise_south"])
        .get(reverse("document-download", args=[world.case_south.pk, doc.pk]))
        .status_code
        == 404
    )
    assert not Event.objects.filter(action="document.download").exists()
    response = client_for(world.users["enterprise"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    event = Event.objects.get(action="document.download")
    assert event.actor == world.users["enterprise"] and event.object_id == str(doc.pk)


def test_upload_page_refuses_bad_files_with_a_message(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["enterprise"])
    url = reverse("case-documents", args=[world.case_north.pk])
    response = client.post(
        url, {"kind": "audit_report", "file": SimpleUploadedFile("报告.pdf", EXE)}, follow=True
    )
    assert response.status_code == 200
    form_errors_shown(response, "upload-form")
    assert not Document.objects.filter(kind="audit_report").exists()
    response = client.post(url, {"kind": "audit_report", "file": SimpleUploadedFile("报告.pdf", PDF)})
    assert response.status_code == 302
    assert Document.objects.filter(kind="audit_report").count() == 1
    # A kind the enterprise may not upload, and a user outside the case.
    assert client.post(url, {"kind": "opinion", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 200
    assert not Document.objects.filter(kind="opinion").exists()
    other = client_for(world.users["enterprise_south"])
    assert (
        other.post(url, {"kind": "audit_report", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    )
    # Bureau staff see the documents but do not upload.
    city = client_for(world.users["city"])
    assert city.get(url).status_code == 200
    assert (
        city.post(url, {"kind": "audit_report", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 404
    )


def test_a_pair_whose_second_file_is_refused_stores_neither(world, settings):
    import os

    from django.core.files.storage import default_storage

    before = Document.objects.count()
    with pytest.raises(DocumentRefused):
        document_store_pair(
            case=world.case_north,
            kind="notice_letter",
            stem="一次性告知书",
            pdf=PDF,
            docx=b"",
            actor=world.users["city"],
        )
    assert Document.objects.count() == before
    folder = default_storage.path("")
    assert not any(
        n.endswith(".pdf") and "一次性告知书" in n for _d, _s, files in os.walk(folder) for n in files
    )
