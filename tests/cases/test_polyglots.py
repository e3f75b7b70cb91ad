"""Polyglots and unsafe archive paths: one file that is also an archive is refused, with a reason."""

import io
import zipfile
import zlib

import pytest
from django.core.files.base import ContentFile

from qingshen.cases.documents import document_store
from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import Document

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"PE\x00\x00"


def _zip(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


EVIL = _zip({"evil.exe": EXE})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _store(world, name, data):
    return document_store(
        case=world.case_north,
        kind="audit_report",
        upload=ContentFile(data, name=name),
        actor=world.users["enterprise"],
    )


def _files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


def _refused(world, media, name, data) -> str:
    before, files = Document.objects.count(), _files(media)
    with pytest.raises(DocumentRefused) as exc:
        _store(world, name, data)
    assert Document.objects.count() == before
    assert _files(media) == files
    return exc.value.message


def test_the_reported_polyglot_pdf_with_evil_exe_appended_is_refused(world, media):
    message = _refused(world, media, "poly.pdf", PDF + EVIL)
    assert "archive" in message or "归档" in message or "压缩" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("poly.pdf", PDF + _zip({"readme.txt": b"hello"})),  # any archive behind a PDF
        ("poly.pdf", PDF + b"Rar!\x1a\x07\x00" + b"\x00" * 64),  # another kind of archive after %%EOF
        ("poly.pdf", PDF + b"x" * 5000),  # more than readers' 1024-byte window after %%EOF
        ("poly.png", PNG + EVIL),  # "GIFAR"-style image
        ("poly.jpg", JPG + EVIL),
        # a zip header in the middle (its end record cut off, so only the local header shows)
        ("poly.pdf", PDF[:-6] + EVIL[:-22] + b"\n%%EOF\n"),
        ("poly.png", PNG[:20] + EVIL[:-22] + PNG[20:]),
        # an Office 97 file carrying a program in a zip behind it
        ("报告.doc", OLE2 + EVIL),
    ],
)
def test_archives_hidden_in_or_behind_non_archives_are_refused(world, media, name, data):
    _refused(world, media, name, data)


def test_a_polyglot_inside_a_zip_is_refused_naming_the_member(world, media):
    message = _refused(world, media, "材料.zip", _zip({"报告.pdf": PDF + EVIL}))
    assert "报告.pdf" in message


@pytest.mark.parametrize(
    "member", ["../../etc/cron.d/x.pdf", "/etc/passwd.pdf", "C:/Windows/x.pdf", "a\\..\\..\\x.pdf", "d:x.pdf"]
)
def test_zip_members_that_climb_out_are_refused(world, media, member):
    message = _refused(world, media, "材料.zip", _zip({member: PDF}))
    assert member in message


def test_office_containers_with_unsafe_member_paths_are_refused(world, media):
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", "../evil.xml": b"<x/>"})
    _refused(world, media, "报告.docx", docx)


def test_messages_are_in_the_users_language(world, media):
    from django.utils import translation

    with translation.override("zh-hans"):
        message = _refused(world, media, "poly.pdf", PDF + EVIL)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("报告.pdf", PDF),
        ("报告.pdf", PDF + b"\r\n\x00\x00  \n"),  # whitespace and padding after %%EOF are fine
        ("报告.pdf", PDF + b"garbage"),  # a few stray bytes within readers' window too
        # compressed content happening to hold the signature bytes, without a real header around them
        ("报告.pdf", b"%PDF-1.7\nstream\n" + b"PK\x03\x04" + b"\xff" * 40 + b"\nendstream\n%%EOF\n"),
        ("现场.png", PNG),
        # an Office 97 file with an embedded chart (a zip package of XML parts) is ordinary
        ("报告.doc", OLE2 + _zip({"[Content_Types].xml": b"<Types/>", "xl/charts/chart1.xml": b"<c/>"})),
        ("材料.zip", _zip({"a.pdf": PDF, "照片/b.png": PNG})),
    ],
)
def test_ordinary_files_are_still_accepted(world, name, data):
    assert _store(world, name, data).pk


def test_random_compressed_data_is_not_taken_for_a_zip():
    from qingshen.core.files import polyglot

    noise = zlib.compress(bytes(range(256)) * 40000, 1) * 3  # ~MBs of compressed bytes
    data = io.BytesIO(b"%PDF-1.7\n" + noise.replace(b"PK", b"PK\x03\x04") + b"\n%%EOF\n")
    assert polyglot.hidden_content(data, family="pdf") is None


def test_unsafe_member_names():
    from qingshen.core.files import polyglot

    assert polyglot.unsafe_member_name("../x")
    assert polyglot.unsafe_member_name("a/../../x")
    assert polyglot.unsafe_member_name("\\\\server\\share")
    assert polyglot.unsafe_member_name("C:\\x")
    assert not polyglot.unsafe_member_name("a/b..c/d.pdf")
    assert not polyglot.unsafe_member_name("报告/第1章.pdf")
