"""Documents of imported earlier rounds from one zip: folders by credit code and year, the type from the
name, the upload checks on the archive and on each file, all of the files or none."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.cases.models import AuditCase, Document
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.history import documents
from qingshen.trail.models import Event
from tests.programmes.test_history_import import code, history_file, imported, row  # noqa: F401 (fixture)

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "/history/documents/"


class _GbkName(zipfile.ZipInfo):
    """A member named as Windows' own zip writes Chinese names: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def _zip(files: dict, *, gbk: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in files.items():
            zf.writestr((_GbkName if gbk else zipfile.ZipInfo)(name), data)
    return out.getvalue()


@pytest.fixture
def rounds(world, imported):  # noqa: F811 (the fixture imported above)
    batch = imported(history_file([row(1, year=2021), row(2, year=2022)]), actor=world.users["city"])
    assert batch.status == "committed", batch.errors
    return {n: AuditCase.objects.get(enterprise__uscc=code(n)) for n in (1, 2)}


def test_each_file_lands_on_its_round_as_its_type(world, rounds, client):
    archive = _zip(
        {
            f"{code(1)}_2021/审核报告.pdf": PDF,
            f"{code(1)}_2021/评估意见.pdf": PDF,
            f"{code(2)}/2022/验收意见/扫描件.pdf": PDF,
            f"{code(2)}-2022/企业公示截图.pdf": PDF,
        },
        gbk=True,
    )
    client.force_login(world.users["city"])
    response = client.post(URL, {"archive": SimpleUploadedFile("旧材料.zip", archive)})
    html = response.content.decode()
    assert response.status_code == 200, html[html.find("<main") :][:3000]
    kinds = sorted(Document.objects.filter(case=rounds[1]).values_list("kind", flat=True))
    assert kinds == ["audit_report", "opinion"]
    kinds = sorted(Document.objects.filter(case=rounds[2]).values_list("kind", flat=True))
    assert kinds == ["acceptance_opinion", "disclosure_proof"]
    assert Document.objects.filter(original_name="审核报告.pdf").exists()  # the GBK name read right
    assert Event.objects.filter(action="document.upload", actor=world.users["city"]).count() == 4
    assert Event.objects.filter(action="programme.history.documents").count() == 1


@pytest.mark.parametrize(
    "files, words",
    [
        ({"审核报告.pdf": PDF}, "文件夹"),  # no folder
        ({"91500000MA5U00000X_2021/审核报告.pdf": PDF}, "统一社会信用代码"),  # a bad check digit
        ({"{c1}_2021/说明.pdf": PDF}, "类型"),  # no type in the name
        ({"{c1}_2019/审核报告.pdf": PDF}, "导入"),  # no such round
    ],
)
def test_one_file_that_cannot_be_placed_attaches_nothing(world, rounds, client, files, words):
    files = {k.replace("{c1}", code(1)): v for k, v in files.items()}
    files[f"{code(2)}_2022/审核报告.pdf"] = PDF  # a good one beside it
    client.force_login(world.users["city"])
    response = client.post(URL, {"archive": SimpleUploadedFile("old.zip", _zip(files))})
    assert response.status_code == 400
    html = response.content.decode()
    problems = [r for r in html.split("<tr")[1:] if 'data-problem="yes"' in r]
    assert len(problems) == 1 and words in problems[0]
    assert not Document.objects.filter(case__history_imported_on__isnull=False).exists()


def test_a_file_that_is_not_a_zip_or_hides_a_program_is_refused(world, rounds):
    city = world.users["city"]
    with pytest.raises(ProgrammeError):
        documents.history_documents_attach(upload=SimpleUploadedFile("a.pdf", PDF), actor=city)
    nested = _zip({f"{code(1)}_2021/inner.zip": _zip({"x.pdf": PDF})})
    program = _zip({f"{code(1)}_2021/审核报告.pdf": b"MZ\x90\x00 not a pdf"})
    for archive in (nested, program):
        with pytest.raises(ProgrammeError):
            documents.history_documents_attach(upload=SimpleUploadedFile("a.zip", archive), actor=city)
    assert not Document.objects.filter(case__history_imported_on__isnull=False).exists()


def test_a_district_attaches_only_to_its_own_rounds(world, rounds, client):
    client.force_login(world.users["district_south"])
    response = client.post(
        URL, {"archive": SimpleUploadedFile("old.zip", _zip({f"{code(1)}_2021/审核报告.pdf": PDF}))}
    )
    assert response.status_code == 400
    assert not Document.objects.filter(case__history_imported_on__isnull=False).exists()


@pytest.mark.parametrize("who", ["enterprise", "agency", "expert", "province", "auditor"])
def test_other_roles_do_not_find_the_page(world, client, who):
    client.force_login(world.users[who])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404


def test_the_page_for_the_city(world, client):
    client.force_login(world.users["city"])
    assert client.get(URL).status_code == 200
    assert client.post(URL, {}).status_code == 400
