"""The options' xlsx import: the template, the row-by-row report, bad and hostile files, preview then
commit all or nothing, dropped options with their reasons."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingshen.cases import option_import
from qingshen.cases.errors import DocumentRefused
from qingshen.cases.models import Baseline, Indicator, Option
from tests.cases.option_support import TODAY, baseline_set
from tests.factories import form_errors_shown

# --- The xlsx import ------------------------------------------------------------------------------


def _workbook(rows, header=None):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    header = (
        header
        if header is not None
        else [h for _k, h in option_import.BASE_COLUMNS] + ["COD削减量预期（吨/年）"]
    )
    for c, h in enumerate(header):
        sheet.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def _row(world, code="F1", **kw):
    p = world.case_north.published_on.isoformat()
    row = {"code": code, "name": "冷凝水回用", "cost": "无/低费", "inv": 2.5, "status": "计划", "planned": p,
           "started": None, "done": None, "dropped_reason": None, "cod": None}  # fmt: skip
    row.update(kw)
    return list(row.values())


def _parse(world, data, name="方案.xlsx"):
    return option_import.option_table_parse(case=world.case_north, upload=SimpleUploadedFile(name, data))


def test_template_has_the_header_and_reads_back(world):
    with pytest.raises(DocumentRefused):  # the bare template has a header and no options
        _parse(world, option_import.template_xlsx())
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(option_import.template_xlsx()))
    header = book.get_sheet_by_index(0).to_python()[0]
    assert header[0] == "方案编号" and "COD削减量预期（吨/年）" in header


def test_numeric_codes_come_back_as_text(world):
    rows, problems = _parse(world, _workbook([_row(world, code=1), _row(world, code=2)]))
    assert problems == [] and [r.code for r in rows] == ["1", "2"]


def test_row_report_names_row_column_problem_and_fix(world):
    baseline_set(world, "cod", "1")
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    data = _workbook(
        [
            _row(world, "F1"),
            _row(world, "F2", inv=-3),
            _row(world, "F3", planned=future),
            _row(world, "F4", inv="很多"),
            _row(world, "F1"),
            _row(world, "F6", cost="中费?"),
            _row(world, "F7", inv="NaN"),
            _row(world, "F8", planned="明天"),
        ]
    )
    _rows, problems = _parse(world, data)
    found = {(p.row, p.column) for p in problems}
    assert (3, "投资（万元）") in found
    assert (4, "确定日期") in found
    assert (5, "投资（万元）") in found
    assert (6, "方案编号") in found
    assert (7, "方案类别（无/低费、中/高费）") in found
    assert (8, "投资（万元）") in found and (9, "确定日期") in found
    assert len([p for p in problems if p.row == 9]) == 1  # an unreadable cell is reported once
    assert all(p.problem and p.fix for p in problems)
    assert 2 not in {p.row for p in problems}


def test_reduction_over_baseline_in_the_import_is_reported(world):
    baseline_set(world, "cod", "1")
    _rows, problems = _parse(world, _workbook([_row(world, "F1", cod=0.6), _row(world, "F2", cod=0.6)]))
    assert problems and problems[0].column.startswith("COD")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("方案.xlsx", b"MZ\x90\x00" + b"\x00" * 100),  # a renamed executable
        ("方案.xlsx", b"%PDF-1.4 not a workbook"),  # wrong type
        ("方案.pdf", b"%PDF-1.4 not a workbook"),
        ("方案.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # encrypted (an OLE2 container)
        ("方案.xlsx", b"PK\x03\x04 damaged"),
    ],
)
def test_bad_files_get_a_clear_message(world, name, data):
    with pytest.raises(DocumentRefused) as err:
        _parse(world, data, name)
    assert err.value.message


def test_corrupt_workbook_empty_sheet_no_header_too_large(world, settings):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<not-a-workbook")
    with pytest.raises(DocumentRefused):
        _parse(world, out.getvalue())
    with pytest.raises(DocumentRefused) as err:
        _parse(world, _workbook([], header=[]))
    assert err.value.message
    with pytest.raises(DocumentRefused) as err:
        _parse(world, _workbook([["F1", "x", "无/低费"]], header=["编号", "随便"]))
    assert "方案名称" in err.value.message or "header" in err.value.message
    settings.QINGSHEN_OPTION_IMPORT_MAX_BYTES = 100
    with pytest.raises(DocumentRefused):
        _parse(world, _workbook([_row(world)]))


def test_import_preview_then_commit_all_or_nothing(world, client_for):
    client = client_for(world.users["enterprise"])
    url = reverse("case-option-import", args=[world.case_north.pk])
    bad = _workbook([_row(world, "F1"), _row(world, "F2", inv=-1)])
    response = client.post(url, {"file": SimpleUploadedFile("方案.xlsx", bad)})
    assert response.status_code == 200 and 'data-row="3"' in response.content.decode()
    response = client.post(url, {"commit": "1"}, follow=True)  # nothing to commit after a bad file
    assert not Option.objects.exists()
    good = _workbook([_row(world, "F1"), _row(world, "F2", cost="中/高费", inv=80)])
    response = client.post(url, {"file": SimpleUploadedFile("方案.xlsx", good)})
    assert 'id="import-commit"' in response.content.decode()
    assert not Option.objects.exists()  # a preview writes nothing
    response = client.post(url, {"commit": "1"})
    assert response.status_code == 302
    assert sorted(Option.objects.values_list("code", "cost_class")) == [("F1", "low"), ("F2", "high")]
    # The same table again updates by number; nothing is duplicated.
    client.post(url, {"file": SimpleUploadedFile("方案.xlsx", good)})
    client.post(url, {"commit": "1"})
    assert Option.objects.count() == 2
    # A renamed executable gets a message, not a 500.
    response = client.post(url, {"file": SimpleUploadedFile("方案.xlsx", b"MZ" + b"\x00" * 64)}, follow=True)
    assert response.status_code == 200
    assert any(m.level_tag == "error" for m in response.context["messages"])
    # Only the enterprise side imports; others are refused.
    assert client_for(world.users["city"]).post(url, {"commit": "1"}).status_code == 404
    assert client_for(world.users["enterprise_south"]).post(url, {"commit": "1"}).status_code == 404


def test_template_download(world, client_for):
    response = client_for(world.users["enterprise"]).get(
        reverse("case-option-template", args=[world.case_north.pk])
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert (
        client_for(world.users["enterprise_south"])
        .get(reverse("case-option-template", args=[world.case_north.pk]))
        .status_code
        == 404
    )


def test_option_and_baseline_forms(world, client_for):
    client = client_for(world.users["enterprise"])
    url = reverse("case-options", args=[world.case_north.pk])
    indicator = Indicator.objects.get(code="water")
    assert (
        client.post(
            url,
            {
                "form": "baseline",
                "indicator": indicator.pk,
                "value": "500",
                "year": world.case_north.published_on.year - 1,
            },
        ).status_code
        == 302
    )
    assert Baseline.objects.get(indicator=indicator).value == Decimal(500)
    data = {"form": "option", "code": "F9", "name": "中水回用", "cost_class": "high", "investment": "30",
            "status": "planned", "planned_on": world.case_north.published_on.isoformat(), "expected_water": "600"}  # fmt: skip
    response = client.post(url, data, follow=True)
    form_errors_shown(response, "option-form", "option_form")  # 600 > 500
    assert not Option.objects.exists()
    data["expected_water"] = "400"
    assert client.post(url, data).status_code == 302
    assert Option.objects.get(code="F9").benefits.get().expected == Decimal(400)
    assert client.post(url, {**data, "investment": "abc"}, follow=True).status_code == 200
    assert client_for(world.users["district"]).post(url, data).status_code == 404


def test_a_workbook_that_unpacks_too_far_is_refused_before_reading(world, settings):
    """A zip bomb dressed as the option table: the list import's guard refuses it unread."""
    settings.QINGSHEN_IMPORT_MAX_UNZIPPED_BYTES = 200_000
    data = _workbook([_row(world, code=f"F{n}", name=f"{n}" + "方" * 300) for n in range(400)])
    with pytest.raises(DocumentRefused) as err:
        _parse(world, data)
    assert "zip" in err.value.message.lower() or "炸弹" in err.value.message


def test_the_import_reads_dropped_with_its_reason(world):
    rows, problems = _parse(world, _workbook([_row(world, "F1", status="放弃", dropped_reason="投资过大")]))
    assert not problems and rows[0].status == "dropped" and rows[0].dropped_reason == "投资过大"
    _rows, problems = _parse(world, _workbook([_row(world, "F1", status="放弃")]))
    assert [p.column for p in problems] == ["放弃原因"]


def test_the_import_preview_does_not_count_a_dropped_options_benefits(world):
    baseline_set(world, "cod", "1")
    sheet = _workbook(
        [_row(world, "F1", status="放弃", dropped_reason="不可行", cod=0.9), _row(world, "F2", cod=0.6)]
    )
    _rows, problems = _parse(world, sheet)
    assert not problems
