"""Option dates run from the start of the audit's base year (审核基准年) to today, not from the list's
publication; the base year is the baselines' year, one per case; the page puts the baseline first."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from qingshen.cases import options
from qingshen.cases.models import Baseline, Indicator, Option
from qingshen.cases.options import OptionData, OptionRefused

TODAY = timezone.localdate()


def _option(planned_on, code="F1"):
    return OptionData(
        code=code, name="更换节能电机", cost_class="low", investment=Decimal("3.5"), planned_on=planned_on
    )


def _baseline(world, year, code="water", value="1000"):
    return options.baseline_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        indicator=Indicator.objects.get(code=code),
        value=Decimal(value),
        year=year,
    )


@pytest.fixture
def published_today(world):
    """A list published today: on main every option date had to be today."""
    type(world.case_north).objects.filter(pk=world.case_north.pk).update(published_on=TODAY)
    world.case_north.refresh_from_db()
    return world


def test_an_option_adopted_in_the_base_year_is_accepted_when_the_list_is_published_today(published_today):
    world = published_today
    _baseline(world, TODAY.year - 1)
    day = datetime.date(TODAY.year - 1, 6, 1)
    option = options.option_save(case=world.case_north, actor=world.users["enterprise"], data=_option(day))
    assert option.planned_on == day


def test_no_option_before_the_base_year_nor_after_today(published_today):
    world = published_today
    _baseline(world, TODAY.year - 1)
    for day in (datetime.date(TODAY.year - 2, 12, 31), TODAY + datetime.timedelta(days=1)):
        with pytest.raises(OptionRefused) as err:
            options.option_save(case=world.case_north, actor=world.users["enterprise"], data=_option(day))
        assert [f for f, _m in err.value.problems] == ["planned_on"]
    options.option_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        data=_option(datetime.date(TODAY.year - 1, 1, 1)),
    )
    assert Option.objects.count() == 1


def test_the_base_year_is_bounded_and_one_for_the_case(published_today):
    world = published_today
    low = TODAY.year - settings.QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST
    for year in (low - 1, TODAY.year + 1):
        with pytest.raises(OptionRefused):
            _baseline(world, year)
    assert not Baseline.objects.exists()
    _baseline(world, TODAY.year - 1, "water")
    _baseline(world, TODAY.year - 2, "energy")  # another year moves the audit's base year
    assert set(Baseline.objects.values_list("year", flat=True)) == {TODAY.year - 2}
    assert options.earliest_option_day(world.case_north) == datetime.date(TODAY.year - 2, 1, 1)
    options.option_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        data=_option(datetime.date(TODAY.year - 2, 3, 1)),
    )
    with pytest.raises(OptionRefused) as err:  # F1 would then lie before the base year
        _baseline(world, TODAY.year - 1, "water")
    assert "F1" in err.value.message
    assert set(Baseline.objects.values_list("year", flat=True)) == {TODAY.year - 2}


def test_the_option_import_follows_the_same_dates(published_today):
    from tests.cases.test_option_import import _parse, _row, _workbook

    world = published_today
    _baseline(world, TODAY.year - 1)
    day = f"{TODAY.year - 1}-05-01"
    rows, problems = _parse(world, _workbook([_row(world, planned=day)]))
    assert not problems and rows[0].planned_on == datetime.date(TODAY.year - 1, 5, 1)
    _rows, problems = _parse(world, _workbook([_row(world, planned=f"{TODAY.year - 2}-12-31")]))
    assert problems


def test_the_page_puts_the_baseline_first_with_its_year(published_today, client_for):
    world = published_today
    client = client_for(world.users["enterprise"])
    url = reverse("case-options", args=[world.case_north.pk])
    page = client.get(url).content.decode()
    assert page.index('id="baseline-form"') < page.index('id="option-form"')
    assert f'min="{TODAY.year - settings.QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST}-01-01"' in page
    indicator = Indicator.objects.get(code="water")
    response = client.post(
        url, {"form": "baseline", "indicator": indicator.pk, "value": "500", "year": TODAY.year - 1}
    )
    assert response.status_code == 302 and Baseline.objects.get().year == TODAY.year - 1
    page = client.get(url).content.decode()
    assert str(TODAY.year - 1) in page[page.index('id="base-year"') :][:200]
    bad = client.post(url, {"form": "baseline", "indicator": indicator.pk, "value": "500", "year": 1990})
    assert bad.status_code == 200 and Baseline.objects.get().year == TODAY.year - 1
