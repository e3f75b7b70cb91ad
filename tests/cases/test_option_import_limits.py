"""The option table is checked against the Option and Benefit fields, and the character rules, per cell."""

import pytest

from tests.cases.test_option_import import _parse, _row, _workbook


def _by_cell(problems):
    return {(p.row, p.column): p.problem for p in problems}


def test_lengths_and_decimal_places_are_checked_at_import(world):
    rows = [
        _row(world, code="F" * 21),
        _row(world, code="F2", name="方" * 201),
        _row(world, code="F3", inv=1.234),
        _row(world, code="F4", cod=1.23456),
        _row(world, code="F5", name="方" * 200, inv=12.34, cod=1.2345),
    ]
    _rows, problems = _parse(world, _workbook(rows))
    found = _by_cell(problems)
    assert set(found) == {
        (2, "方案编号"),
        (3, "方案名称"),
        (4, "投资（万元）"),
        (5, "COD削减量预期（吨/年）"),
    }
    assert "20" in found[(2, "方案编号")] and "200" in found[(3, "方案名称")]


@pytest.mark.parametrize(
    "key,value",
    [
        ("name", "冷凝\x00水回用"),
        ("name", "冷凝\u202e水回用"),
        ("code", "F\x1b1"),
        ("dropped_reason", "放\u2067弃"),
    ],
)
def test_control_and_direction_characters_are_refused_per_cell(world, key, value):
    _rows, problems = _parse(world, _workbook([_row(world, **{key: value}), _row(world, code="F2")]))
    assert len(problems) == 1 and problems[0].row == 2 and "U+" in problems[0].problem


def test_line_breaks_stay_allowed_in_the_reason_for_dropping(world):
    row = _row(world, status="放弃", dropped_reason="不经济\n设备停产")
    rows, problems = _parse(world, _workbook([row]))
    assert problems == [] and rows[0].dropped_reason == "不经济\n设备停产"
