"""List imports check every cell against the field it goes into, at check time, naming the row.

A 10,000-character name used to pass the check and fail the commit ("导入意外失败", no row named); a
NUL in a cell made PostgreSQL refuse the report itself. Run this file on PostgreSQL too."""

import json

import pytest

from qingshen.programmes.models import ImportBatch, Listing
from qingshen.registry.models import Enterprise
from tests.programmes import sheets
from tests.programmes.test_import import code, commit, draft, upload  # noqa: F401  (fixtures)


def _errors(batch):
    assert batch.status == ImportBatch.Status.INVALID and batch.rows == []
    return {(e["row"], e["column"]): e for e in batch.errors}


def test_a_name_longer_than_the_registry_takes_is_refused_at_check_time(world, draft, upload):  # noqa: F811
    rows = [
        [1, "北区", "好企业", code(1), "", "双超", ""],
        [2, "北区", "长" * 10_000, code(2), "", "双超", ""],
    ]
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    error = _errors(batch)[(3, "企业名称")]
    assert "200" in error["problem"] and error["seq"] == "2"
    assert not Enterprise.objects.filter(uscc__in=[code(1), code(2)]).exists()


def test_notes_and_reasons_are_not_cut_but_refused(world, draft, upload):  # noqa: F811
    rows = [
        [1, "北区", "备注太长", code(3), "", "双超", "注" * 301],
        [2, "北区", "理由太长", code(4), "", f"其他（{'由' * 301}）", ""],
        [3, "北区", "刚好", code(5), "", "双超", "注" * 300],
    ]
    errors = _errors(upload(draft, sheets.xlsx(rows), actor=world.users["district"]))
    assert set(errors) == {(2, "备注"), (3, "纳入类型")}
    assert "300" in errors[(2, "备注")]["problem"]


def test_a_plan_list_note_is_checked_against_the_plan_entry(world, draft, upload):  # noqa: F811
    header = [*sheets.HEADER, "计划年度"]
    rows = [[1, "北区", "计划企业", code(6), "", "双超", "注" * 301, draft.year + 1]]
    batch = upload(draft, sheets.xlsx(rows, header=header), actor=world.users["district"], kind="plan")
    assert set(_errors(batch)) == {(2, "备注")}


def test_the_duplicate_message_names_the_first_row_by_sheet_row_and_number(world, draft, upload):  # noqa: F811
    rows = [[11, "北区", "甲企业", code(7), "", "双超", ""], [12, "北区", "甲企业", code(7), "", "双超", ""]]
    error = _errors(upload(draft, sheets.xlsx(rows), actor=world.users["district"]))[(3, "统一社会信用代码")]
    assert "2" in error["problem"] and "序号 11" in error["problem"]
    assert error["seq"] == "12"


@pytest.mark.parametrize(
    "cell,column",
    [
        ("北区\x00化工", "企业名称"),
        ("北区\u202e工化", "企业名称"),
        ("双超\x1b", "纳入类型"),
        ("北\u2066区", "区县"),
    ],
)
def test_control_and_direction_characters_are_refused_per_cell(world, draft, upload, cell, column):  # noqa: F811
    row = [1, "北区", "好企业", code(8), "", "双超", ""]
    row[sheets.HEADER.index(column)] = cell
    batch = upload(draft, sheets.xlsx([row]), actor=world.users["district"])
    error = _errors(batch)[(2, column)]
    assert "U+" in error["problem"]
    stored = json.dumps(ImportBatch.objects.get(pk=batch.pk).errors, ensure_ascii=False)
    assert cell not in stored  # the report names the character; it never carries it


def test_a_nul_deep_in_a_csv_is_refused_with_its_row(world, draft, upload):  # noqa: F811
    rows = [[n, "北区", f"企业{n}", code(100 + n), "", "双超", ""] for n in range(1, 200)]
    rows[150][2] = "企业\x00"
    batch = upload(draft, sheets.csv_bytes(rows), name="list.csv", actor=world.users["district"])
    assert set(_errors(batch)) == {(152, "企业名称")}


def test_the_refused_rows_commit_once_corrected(world, draft, upload, commit):  # noqa: F811
    rows = [[1, "北区", "长" * 200, code(9), "", "双超", "注" * 300]]
    batch = commit(upload(draft, sheets.xlsx(rows), actor=world.users["district"]))
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Listing.objects.get(programme=draft).note == "注" * 300


def test_the_report_shows_the_number_beside_the_row(world, draft, upload, client_for):  # noqa: F811
    from django.urls import reverse

    rows = [[11, "北区", "甲企业", code(10), "", "双超", ""], [12, "北区", "乙", code(10), "", "双超", ""]]
    batch = upload(draft, sheets.xlsx(rows), actor=world.users["district"])
    page = client_for(world.users["district"]).get(reverse("import-batch", args=[batch.pk])).content.decode()
    assert "（序号 12）" in page
