"""Options, benefits and baselines: the impossible-value rules, totals, dropped options, logging and
scope. The xlsx import: test_option_import.py."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from qingshen.cases import options, selectors
from qingshen.cases.errors import CaseNotFound
from qingshen.cases.models import Indicator, Option
from qingshen.cases.options import OptionRefused
from qingshen.trail.models import Event
from tests.cases.option_support import TODAY, baseline_set, option_data


def test_indicators_are_seeded_with_units_and_sources(db):
    units = dict(Indicator.objects.values_list("code", "unit"))
    assert units["economic"] == "万元/年" and units["energy"] == "吨标准煤/年"
    assert units["electricity"] == "万kWh/年" and units["heavy_metals"] == "kg/年"
    assert {"water", "co2", "cod", "ammonia", "so2", "nox", "particulates", "vocs", "hazardous_waste"} <= set(
        units
    )
    assert all(Indicator.objects.values_list("source", flat=True))
    assert not Indicator.objects.get(code="economic").is_reduction


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"investment": Decimal("-1")}, "investment"),
        ({"status": "implemented", "implemented_on": None}, "implemented_on"),
        ({"status": "implemented", "planned_on": "P+5", "implemented_on": "P+2"}, "implemented_on"),
        ({"planned_on": "future"}, "planned_on"),
        ({"status": "implemented", "implemented_on": "future"}, "implemented_on"),
        ({"planned_on": "before P"}, "planned_on"),
        ({"status": "implementing", "started_on": None}, "started_on"),
        ({"cost_class": "medium"}, "cost_class"),
    ],
)
def test_impossible_values_are_refused_with_a_reason(world, changes, field):
    case = world.case_north
    resolved = {}
    for key, value in changes.items():
        if value == "future":
            value = TODAY + datetime.timedelta(days=1)
        elif value == "before P":  # before the earliest base year allowed (no baseline yet)
            value = datetime.date(
                case.published_on.year - settings.QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST - 1, 12, 31
            )
        elif isinstance(value, str) and value.startswith("P+"):
            value = min(case.published_on + datetime.timedelta(days=int(value[2:])), TODAY)
        resolved[key] = value
    if "P+5" in changes.values():  # the world's P is 10 days ago
        resolved["planned_on"] = case.published_on + datetime.timedelta(days=5)
        resolved["implemented_on"] = case.published_on + datetime.timedelta(days=2)
    with pytest.raises(OptionRefused) as err:
        options.option_save(case=case, actor=world.users["enterprise"], data=option_data(case, **resolved))
    assert field in [f for f, _m in err.value.problems] and err.value.message
    assert not Option.objects.exists()


def test_a_reduction_larger_than_its_baseline_is_refused(world):
    case = world.case_north
    actor = world.users["enterprise"]
    with pytest.raises(OptionRefused) as err:  # no baseline yet
        options.option_save(
            case=case, actor=actor, data=option_data(case, benefits={"cod": (Decimal(2), None)})
        )
    assert "cod" in [f for f, _m in err.value.problems]
    baseline_set(world, "cod", "10")
    options.option_save(case=case, actor=actor, data=option_data(case, benefits={"cod": (Decimal(6), None)}))
    with pytest.raises(OptionRefused):  # 6 + 5 > 10, across options
        options.option_save(
            case=case, actor=actor, data=option_data(case, code="F2", benefits={"cod": (Decimal(5), None)})
        )
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F2", benefits={"cod": (Decimal(4), None)})
    )
    with pytest.raises(OptionRefused):  # verified too
        options.option_save(
            case=case,
            actor=actor,
            data=option_data(case, code="F2", benefits={"cod": (Decimal(4), Decimal(11))}),
        )
    with pytest.raises(OptionRefused):  # and the baseline cannot drop below what is declared
        baseline_set(world, "cod", "9")
    with pytest.raises(OptionRefused):
        baseline_set(world, "cod", "-1")
    # Economic benefit is not a reduction and needs no baseline.
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F3", benefits={"economic": (Decimal(50), None)})
    )


def test_totals_per_case(world, client_for, django_assert_max_num_queries):
    case = world.case_north
    actor = world.users["enterprise"]
    baseline_set(world, "energy", "1000")
    baseline_set(world, "water", "50000")
    day = case.published_on
    rows = [
        option_data(case, code="F1", investment=Decimal("2.5"), benefits={"energy": (Decimal(10), None)}),
        option_data(
            case,
            code="F2",
            investment=Decimal("1.5"),
            status="implemented",
            started_on=day,
            implemented_on=day,
            benefits={"energy": (Decimal(5), Decimal(4)), "water": (Decimal(300), None)},
        ),
        option_data(
            case,
            code="Z1",
            cost_class="high",
            investment=Decimal("120"),
            benefits={"energy": (Decimal(200), None)},
        ),
    ]
    options.options_save(case=case, actor=actor, rows=rows)
    with django_assert_max_num_queries(4):
        totals = selectors.option_totals(case=case)
    assert totals["low"]["n"] == 2 and totals["low"]["investment"] == Decimal("4.00")
    assert totals["low"]["implemented"] == 1 and totals["low"]["implemented_investment"] == Decimal("1.50")
    assert totals["high"]["n"] == 1 and totals["high"]["investment"] == Decimal("120.00")
    by_code = {r["indicator"].code: r for r in totals["indicators"]}
    assert by_code["energy"]["expected"] == Decimal(215) and by_code["energy"]["verified"] == Decimal(4)
    assert by_code["energy"]["baseline"] == Decimal(1000) and by_code["cod"]["expected"] is None
    # The other case's totals are its own.
    assert selectors.option_totals(case=world.case_south)["low"]["n"] == 0
    page = client_for(world.users["city"]).get(reverse("case-options", args=[case.pk])).content.decode()
    assert 'data-total="high-investment">120.00<' in page


def test_saving_is_logged_and_scoped(world):
    options.option_save(
        case=world.case_north, actor=world.users["enterprise"], data=option_data(world.case_north)
    )
    assert Event.objects.filter(action="option.save").count() == 1
    with pytest.raises(CaseNotFound):
        options.option_save(
            case=world.case_north, actor=world.users["enterprise_south"], data=option_data(world.case_north)
        )
    with pytest.raises(CaseNotFound):
        options.option_save(
            case=world.case_north, actor=world.users["city"], data=option_data(world.case_north)
        )


def test_a_dropped_option_needs_a_reason_stays_on_record_and_leaves_the_totals(world):
    case = world.case_north
    actor = world.users["enterprise"]
    baseline_set(world, "cod", "10")
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F1", benefits={"cod": (Decimal(6), None)})
    )
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F2", investment=Decimal(40), cost_class="high")
    )
    with pytest.raises(OptionRefused) as err:
        options.option_save(case=case, actor=actor, data=option_data(case, code="F2", status="dropped"))
    assert "dropped_reason" in [f for f, _m in err.value.problems]
    options.option_save(
        case=case,
        actor=actor,
        data=option_data(
            case,
            code="F1",
            status="dropped",
            dropped_reason="可行性分析不可行",
            benefits={"cod": (Decimal(6), None)},
        ),
    )
    dropped = Option.objects.get(case=case, code="F1")
    assert dropped.status == "dropped" and dropped.dropped_reason == "可行性分析不可行"
    totals = selectors.option_totals(case=case)
    assert (totals["low"]["n"], totals["high"]["n"]) == (0, 1)
    cod = next(r for r in totals["indicators"] if r["indicator"].code == "cod")
    assert not cod["expected"]
    # Its reduction no longer counts against the baseline: another option may now claim 8 of 10.
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F3", benefits={"cod": (Decimal(8), None)})
    )


def test_saving_options_keeps_the_totals_cells_current(world):
    """The dashboard and the summary table read totals per programme and jurisdiction; the options
    service rewrites the case's cell in the same transaction, dropped options left out."""
    from qingshen.cases.models import BenefitRollup, OptionRollup
    from qingshen.cases.rollups import rollups_rebuild

    case = world.case_north
    actor = world.users["enterprise"]
    baseline_set(world, "cod", "10")
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F1", benefits={"cod": (Decimal(2), None)})
    )
    options.option_save(
        case=case, actor=actor, data=option_data(case, code="F2", cost_class="high", investment=Decimal(40))
    )

    def cells():
        opts = {
            (r.cell.programme_id, r.cell.jurisdiction_id, r.cost_class): (r.options, r.investment)
            for r in OptionRollup.objects.select_related("cell")
        }
        bens = {(r.cell.jurisdiction_id, r.indicator.code): r.expected for r in BenefitRollup.objects.all()}
        return opts, bens

    opts, bens = cells()
    key = (case.programme_id, case.jurisdiction_id)
    assert opts == {(*key, "low"): (1, Decimal("3.5")), (*key, "high"): (1, Decimal(40))}
    assert bens == {(case.jurisdiction_id, "cod"): Decimal(2)}
    options.option_save(
        case=case,
        actor=actor,
        data=option_data(
            case,
            code="F2",
            cost_class="high",
            investment=Decimal(40),
            status="dropped",
            dropped_reason="不可行",
        ),
    )
    assert cells()[0] == {(*key, "low"): (1, Decimal("3.5"))}
    # Rebuilding from scratch gives the same cells.
    before = cells()
    rollups_rebuild()
    assert cells() == before
