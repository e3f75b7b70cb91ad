"""Options, benefits and baselines: the impossible-value rules, totals, and the xlsx import."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qingshen.cases import option_import, options, selectors
from qingshen.cases.errors import CaseNotFound, DocumentRefused
from qingshen.cases.models import Baseline, Indicator, Option
from qingshen.cases.options import OptionData, OptionRefused
from qingshen.trail.models import Event
from tests.factories import form_errors_shown

TODAY = timezone.localdate()


def _data(case, **kw):
    base = {"code": "F1", "name": "更换节能电机", "cost_class": "low", "investment": Decimal("3.5"),
            "status": "planned", "planned_on": case.published_on}  # fmt: skip
    base.update(kw)
    return OptionData(**base)


def _baseline(world, code, value):
    return options.baseline_save(
        case=world.case_north,
        actor=world.users["enterprise"],
        indicator=Indicator.objects.get(code=code),
        value=Decimal(value),
    )


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
        options.option_save(case=case, actor=world.users["enterprise"], data=_data(case, **resolved))
    assert field in [f for f, _m in err.value.problems] and err.value.message
    assert not Option.objects.exists()


def test_a_reduction_larger_than_its_baseline_is_refused(world):
    case = world.case_north
    actor = world.users["enterprise"]
    with pytest.raises(OptionRefused) as err:  # no baseline yet
        options.option_save(case=case, actor=actor, data=_data(case, benefits={"cod": (Decimal(2), None)}))
    assert "cod" in [f for f, _m in err.value.problems]
    _baseline(world, "cod", "10")
    options.option_save(case=case, actor=actor, data=_data(case, benefits={"cod": (Decimal(6), None)}))
    with pytest.raises(OptionRefused):  # 6 + 5 > 10, across options
        options.option_save(
            case=case, actor=actor, data=_data(case, code="F2", benefits={"cod": (Decimal(5), None)})
        )
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F2", benefits={"cod": (Decimal(4), None)})
    )
    with pytest.raises(OptionRefused):  # verified too
        options.option_save(
            case=case, actor=actor, data=_data(case, code="F2", benefits={"cod": (Decimal(4), Decimal(11))})
        )
    with pytest.raises(OptionRefused):  # and the baseline cannot drop below what is declared
        _baseline(world, "cod", "9")
    with pytest.raises(OptionRefused):
        _baseline(world, "cod", "-1")
    # Economic benefit is not a reduction and needs no baseline.
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F3", benefits={"economic": (Decimal(50), None)})
    )


def test_totals_per_case(world, client_for, django_assert_max_num_queries):
    case = world.case_north
    actor = world.users["enterprise"]
    _baseline(world, "energy", "1000")
    _baseline(world, "water", "50000")
    day = case.published_on
    rows = [
        _data(case, code="F1", investment=Decimal("2.5"), benefits={"energy": (Decimal(10), None)}),
        _data(
            case,
            code="F2",
            investment=Decimal("1.5"),
            status="implemented",
            started_on=day,
            implemented_on=day,
            benefits={"energy": (Decimal(5), Decimal(4)), "water": (Decimal(300), None)},
        ),
        _data(
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
    options.option_save(case=world.case_north, actor=world.users["enterprise"], data=_data(world.case_north))
    assert Event.objects.filter(action="option.save").count() == 1
    with pytest.raises(CaseNotFound):
        options.option_save(
            case=world.case_north, actor=world.users["enterprise_south"], data=_data(world.case_north)
        )
    with pytest.raises(CaseNotFound):
        options.option_save(case=world.case_north, actor=world.users["city"], data=_data(world.case_north))


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
    _baseline(world, "cod", "1")
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
    _baseline(world, "cod", "1")
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


def test_a_dropped_option_needs_a_reason_stays_on_record_and_leaves_the_totals(world):
    case = world.case_north
    actor = world.users["enterprise"]
    _baseline(world, "cod", "10")
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F1", benefits={"cod": (Decimal(6), None)})
    )
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F2", investment=Decimal(40), cost_class="high")
    )
    with pytest.raises(OptionRefused) as err:
        options.option_save(case=case, actor=actor, data=_data(case, code="F2", status="dropped"))
    assert "dropped_reason" in [f for f, _m in err.value.problems]
    options.option_save(
        case=case,
        actor=actor,
        data=_data(
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
        case=case, actor=actor, data=_data(case, code="F3", benefits={"cod": (Decimal(8), None)})
    )


def test_the_import_reads_dropped_with_its_reason(world):
    rows, problems = _parse(world, _workbook([_row(world, "F1", status="放弃", dropped_reason="投资过大")]))
    assert not problems and rows[0].status == "dropped" and rows[0].dropped_reason == "投资过大"
    _rows, problems = _parse(world, _workbook([_row(world, "F1", status="放弃")]))
    assert [p.column for p in problems] == ["放弃原因"]


def test_saving_options_keeps_the_totals_cells_current(world):
    """The dashboard and the summary table read totals per programme and jurisdiction; the options
    service rewrites the case's cell in the same transaction, dropped options left out."""
    from qingshen.cases.models import BenefitRollup, OptionRollup
    from qingshen.cases.rollups import rollups_rebuild

    case = world.case_north
    actor = world.users["enterprise"]
    _baseline(world, "cod", "10")
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F1", benefits={"cod": (Decimal(2), None)})
    )
    options.option_save(
        case=case, actor=actor, data=_data(case, code="F2", cost_class="high", investment=Decimal(40))
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
        data=_data(
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


def test_the_import_preview_does_not_count_a_dropped_options_benefits(world):
    _baseline(world, "cod", "1")
    sheet = _workbook(
        [_row(world, "F1", status="放弃", dropped_reason="不可行", cod=0.9), _row(world, "F2", cod=0.6)]
    )
    _rows, problems = _parse(world, sheet)
    assert not problems
