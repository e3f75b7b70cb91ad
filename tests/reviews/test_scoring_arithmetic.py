"""The sheets' arithmetic on plain numbers (qingshen.reviews.scoring): no database."""

from decimal import Decimal

import pytest

from qingshen.reviews import scoring
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.scoring import BONUS, SCORED, Line

D = Decimal


def test_the_mean_of_the_totals_to_the_cent():
    assert scoring.panel_result([D(80), D(81), D(81)]) == D("80.67")
    assert scoring.panel_result([D("70.5")]) == D("70.50")


def test_the_trimmed_mean_needs_the_set_number_of_sheets():
    totals = [D(1), D(2), D(9)]
    trimmed = {"method": scoring.TRIMMED_MEAN}
    assert scoring.panel_result(totals, **trimmed, trimmed_min_sheets=3) == D("2.00")  # trimmed
    assert scoring.panel_result(totals, **trimmed, trimmed_min_sheets=4) == D("4.00")  # too few: plain
    assert scoring.panel_result([*totals, D(4)], **trimmed, trimmed_min_sheets=4) == D("3.00")
    # Two values are never both dropped, whatever the rule says.
    assert scoring.panel_result(totals[:2], **trimmed, trimmed_min_sheets=2) == D("1.50")
    assert scoring.panel_result(totals[:2], **trimmed, trimmed_min_sheets=0) == D("1.50")


def test_the_mean_ignores_the_trimmed_mean_s_minimum():
    assert scoring.panel_result([D(1), D(2), D(9)], trimmed_min_sheets=3) == D("4.00")


def test_no_totals_is_an_error_not_a_zero():
    with pytest.raises(ValueError):
        scoring.panel_result([])


def test_sheet_total_weights_scored_lines_and_caps_the_bonus():
    lines = [
        Line(SCORED, D(60)),
        Line(SCORED, D(40), D("0.5")),
        Line(BONUS, D(3)),
        Line(BONUS, D(4), D(1)),
    ]
    assert scoring.sheet_total(lines, bonus_max=D(5)) == D("85.00")  # 60 + 20 + min(7, 5)
    assert scoring.sheet_total(lines, bonus_max=D(0)) == D("80.00")
    assert scoring.sheet_total(lines[:2], bonus_max=D(5)) == D("80.00")
    assert scoring.sheet_total([Line(SCORED, D("33.333"))], bonus_max=D(0)) == D("33.33")


def test_points_are_a_number_from_zero_to_the_item_s_maximum():
    assert scoring.points_parse(" 7.5 ", label="x", max_points=D(10)) == D("7.5")
    assert scoring.points_parse(0, label="x", max_points=D(10)) == D(0)
    assert scoring.points_parse("10", label="x", max_points=D(10)) == D(10)


@pytest.mark.parametrize("raw", ["", None, "abc", "-1", "10.01", "NaN", "Infinity", "1e999"])
def test_bad_points_are_refused_naming_the_item(raw):
    with pytest.raises(ReviewRefused) as refused:
        scoring.points_parse(raw, label="审核过程真实", max_points=D(10))
    assert "审核过程真实" in refused.value.message


def test_a_pass_reaches_the_mark_and_any_veto_fails():
    assert scoring.passes(score=D(70), pass_mark=D(70), vetoed=False)
    assert not scoring.passes(score=D("69.99"), pass_mark=D(70), vetoed=False)
    assert not scoring.passes(score=D(100), pass_mark=D(70), vetoed=True)
