"""Figures are written by their unit (万元 2 places, tonnes 3, counts whole) with grouping, on pages
and as number cells in the .xlsx exports: never the database's "207.000000000000"."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from qingshen.cases.models import Benefit, Indicator, Option
from qingshen.cases.rollups import rollups_rebuild
from qingshen.core.numbers import Figure, figure, places_for, xlsx_format
from tests import factories as f


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_figure_is_written_by_its_unit(language):
    with translation.override(language):
        assert figure(Decimal("207.000000000000"), "万元") == "207.00"
        assert figure(Decimal("1234567.005"), "万元/年") == "1,234,567.01"  # half up, grouped
        assert figure("18.0000", "吨/年") == "18.000"
        assert figure(Decimal("8.5"), "吨标准煤/年") == "8.500"
        assert figure(12345) == "12,345"
        assert figure(Decimal("66.666"), "%") == "66.7"
        assert figure(Decimal("-0.0001"), "吨") == "0.000"
        assert figure(None, "吨") == ""
    assert places_for("万kWh/年") == 2 and places_for("kg/年") == 3 and places_for("") == 0
    assert (
        xlsx_format("万元") == "#,##0.00"
        and xlsx_format("吨/年") == "#,##0.000"
        and xlsx_format(None) == "#,##0"
    )
    assert str(Figure(Decimal("3.75"), "万元")) == "3.75"


@pytest.fixture
def invested(world):
    """North: one implemented option of 1,234.5 万元 saving 8.5 tce (verified 8.25) and 0.25 t COD."""
    w = world
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    today = timezone.localdate()
    option = Option.objects.create(
        case=w.case_north,
        code="F1",
        name="余热回收",
        cost_class="high",
        investment=Decimal("1234.5"),
        status="implemented",
        planned_on=today,
        implemented_on=today,
        updated_by=w.users["enterprise"],
    )
    Benefit.objects.create(
        option=option,
        indicator=Indicator.objects.get(code="energy"),
        expected=Decimal("8.5"),
        verified=Decimal("8.25"),
    )
    Benefit.objects.create(
        option=option, indicator=Indicator.objects.get(code="cod"), expected=Decimal("0.25")
    )
    rollups_rebuild()
    return w


def _table_cells(html: str, key: str) -> str:
    start = html.index(f'data-chart-table="{key}"')
    return html[start : html.index("</table>", start)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboard_tables_write_figures_by_unit(invested, client_for, language):
    client = client_for(invested.users["city"])
    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    options = _table_cells(html, "options")
    assert ">1,234.50<" in options and ">1<" in options  # 万元 to 2 places; a count whole
    benefits = _table_cells(html, "benefits")
    assert ">8.500<" in benefits and ">8.250<" in benefits and ">0.250<" in benefits
    assert ">100.0<" in _table_cells(html, "pass_rates")
    assert "0000000" not in html


def test_the_dashboard_export_holds_number_cells_with_formats(invested, client_for):
    client = client_for(invested.users["city"])
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboard-export", args=["options"])).content)
    )
    sheet = book.active
    investment = sheet.cell(row=5, column=4)  # "Mid/high-cost" row, "Investment planned"
    assert investment.value == 1234.5 and investment.number_format == "#,##0.00"
    count = sheet.cell(row=5, column=2)
    assert count.value == 1 and count.number_format == "#,##0"
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboard-export", args=["benefits"])).content)
    )
    energy = next(r for r in book.active.iter_rows(min_row=4) if "节能量" in str(r[0].value))
    assert energy[1].value == 8.5 and energy[1].number_format == "#,##0.000"


def test_the_summary_writes_figures_by_unit_on_the_page_and_in_the_xlsx(invested, client_for):
    w = invested
    client = client_for(w.users["city"])
    html = client.get(reverse("summary-page", args=[w.programme.pk])).content.decode()
    total = html[html.index('data-row="total"') :]
    assert ">1,234.50<" in total and ">8.500<" in total and ">0.250<" in total
    assert "8.5000<" not in html and "1234.50<" not in html
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("summary-export", args=[w.programme.pk])).content)
    )
    sheet = book.active
    keys = {sheet.cell(row=4, column=c).value: c for c in range(2, sheet.max_column + 1)}
    assert keys  # the second header row holds the column labels
    formats = {cell.number_format for row in sheet.iter_rows(min_row=5) for cell in row[1:]}
    assert {"#,##0", "#,##0.00", "#,##0.000"} <= formats
    north = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "北区")
    assert all(isinstance(c.value, int | float) for c in north[1:])


def test_the_options_page_writes_money_and_benefits_by_unit(invested, client_for):
    w = invested
    html = client_for(w.users["city"]).get(reverse("case-options", args=[w.case_north.pk])).content.decode()
    assert 'data-total="high-investment">1,234.50<' in html
    assert "8.500" in html and "0.250" in html
