"""Audit focus and cleaner production targets: the pure rules, the services, the page, the stages."""

from decimal import Decimal

import pytest
from django.urls import reverse

from qingshen.cases import selectors, stages, target_rules
from qingshen.cases import targets as target_services
from qingshen.cases.errors import CaseNotFound
from qingshen.cases.models import AuditCase, Target
from qingshen.cases.options import OptionRefused
from qingshen.cases.target_rules import MET, NOT_MET, UNKNOWN, TargetData
from qingshen.trail.models import Event
from tests import factories as f

D = Decimal


def _data(**kw):
    base = {"name": "单位产品综合能耗", "unit": "kgce/t", "direction": "lower", "baseline": D("120"),
            "target_value": D("108"), "target_year": 2026}  # fmt: skip
    base.update(kw)
    return TargetData(**base)


@pytest.mark.parametrize(
    ("direction", "target", "actual", "status"),
    [
        ("lower", "108", "100", MET),
        ("lower", "108", "108", MET),
        ("lower", "108", "109", NOT_MET),
        ("higher", "90", "95", MET),
        ("higher", "90", "89.9", NOT_MET),
        ("lower", "108", None, UNKNOWN),
    ],
)
def test_a_target_is_met_when_the_actual_value_reaches_it(direction, target, actual, status):
    actual = None if actual is None else D(actual)
    assert target_rules.target_status(direction=direction, target_value=D(target), actual=actual) == status


def test_the_actual_value_is_entered_or_derived_from_the_verified_benefits():
    assert target_rules.actual_of(direction="lower", baseline=D(1000), entered=None, verified=D(150)) == 850
    assert target_rules.actual_of(direction="higher", baseline=D(60), entered=None, verified=D(10)) == 70
    assert target_rules.actual_of(direction="lower", baseline=D(1000), entered=D(990), verified=D(150)) == 990
    assert target_rules.actual_of(direction="lower", baseline=D(1000), entered=None, verified=None) is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"unit": ""}, "unit"),
        ({"direction": "sideways"}, "direction"),
        ({"baseline": None}, "baseline"),
        ({"target_value": D("-1")}, "target_value"),
        ({"target_value": D("130")}, "target_value"),  # lower is better, yet above the baseline
        ({"direction": "higher"}, "target_value"),  # higher is better, yet below the baseline
        ({"target_year": 2019}, "target_year"),
        ({"target_year": None}, "target_year"),
    ],
)
def test_bad_targets_are_refused_with_the_field(changes, field):
    problems = target_rules.target_problems(_data(**changes), first_year=2025, last_year=2031)
    assert field in [f for f, _m in problems]
    assert not target_rules.target_problems(_data(), first_year=2025, last_year=2031)


def test_stages_follow_what_is_filed_and_the_bureau_steps():
    first = stages.stage_progress(stages.StageFacts(state="listed"))
    assert [s.done for s in first] == [False] * 7 and first[0].current
    auditing = stages.StageFacts(state="auditing", audit_started=True, focus=True, targets=2, baselines=3)
    progress = stages.stage_progress(auditing)
    assert [s.done for s in progress] == [True, True, True, False, False, False, False]
    assert [s.code for s in progress if s.current] == ["options"]
    more = stages.StageFacts(
        state="auditing", audit_started=True, focus=True, targets=1, baselines=1, options=3, high_options=1
    )
    assert [s.code for s in stages.stage_progress(more) if s.current] == ["implementation"]
    # The report submitted: the first five are behind whatever was filed; acceptance applied: six.
    assert [s.done for s in stages.stage_progress(stages.StageFacts(state="report_submitted"))][:5] == [
        True
    ] * 5
    assert [s.done for s in stages.stage_progress(stages.StageFacts(state="accepting"))] == [True] * 6 + [
        False
    ]
    assert all(s.done for s in stages.stage_progress(stages.StageFacts(state="accepted")))


def _auditing(world):
    return f.walk(
        world.case_north, "auditing", city_user=world.users["city"], enterprise_user=world.users["enterprise"]
    )


def test_the_enterprise_sets_focus_and_targets_and_each_is_logged(world):
    case = _auditing(world)
    ent = world.users["enterprise"]
    target_services.audit_focus_save(case=case, actor=ent, text="电镀车间")
    year = case.published_on.year
    target = target_services.target_save(case=case, actor=ent, data=_data(target_year=year))
    assert AuditCase.objects.get(pk=case.pk).audit_focus == "电镀车间"
    assert Target.objects.get(pk=target.pk).target_value == D("108")
    assert set(Event.objects.values_list("action", flat=True)) >= {"case.focus.save", "target.save"}
    target_services.target_withdraw(case=case, actor=ent, target_id=target.pk)
    assert selectors.target_rows(case=case) == [] and Target.objects.filter(pk=target.pk).exists()


def test_targets_are_refused_to_others_and_after_the_evaluation_application(world):
    case = _auditing(world)
    year = case.published_on.year
    with pytest.raises(CaseNotFound):
        target_services.target_save(
            case=case, actor=world.users["enterprise_south"], data=_data(target_year=year)
        )
    with pytest.raises(CaseNotFound):
        target_services.audit_focus_save(case=case, actor=world.users["district"], text="x")
    with pytest.raises(OptionRefused):
        target_services.target_save(
            case=case, actor=world.users["enterprise"], data=_data(target_year=year - 9)
        )
    assert not Target.objects.exists()
    case = f.walk(
        world.case_south,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise_south"],
    )
    with pytest.raises(OptionRefused):
        target_services.target_save(
            case=case, actor=world.users["enterprise_south"], data=_data(target_year=year)
        )
    with pytest.raises(OptionRefused):
        target_services.audit_focus_save(case=case, actor=world.users["enterprise_south"], text="x")


def _post(client, case, **data):
    return client.post(reverse("case-targets", args=[case.pk]), data)


def test_the_targets_page_saves_and_refuses_with_a_message(world, client_for):
    case = _auditing(world)
    client = client_for(world.users["enterprise"])
    assert client.get(reverse("case-targets", args=[case.pk])).status_code == 200
    assert _post(client, case, form="focus", audit_focus="锅炉房").status_code == 302
    year = case.published_on.year
    good = {"form": "target", "name": "COD 排放量", "unit": "t/a", "direction": "lower", "baseline": "50",
            "target_value": "40", "target_year": str(year)}  # fmt: skip
    bad = _post(client, case, **{**good, "target_value": "60"})
    assert bad.status_code == 200 and not Target.objects.exists()
    errors = f.form_errors_shown(bad, "target-form", "target_form")
    assert any("below the baseline" in e or "低于基准" in e for e in errors), errors
    junk = _post(client, case, **{**good, "baseline": "abc", "target_year": "x"})
    assert junk.status_code == 200 and not Target.objects.exists()
    assert _post(client, case, **good).status_code == 302
    page = client.get(reverse("case-targets", args=[case.pk])).content.decode()
    assert "COD 排放量" in page and "锅炉房" in page and 'data-status="unknown"' in page


def test_refused_users_get_404_on_the_targets_and_performance_pages(world, client_for):
    case = _auditing(world)
    for name in ("case-targets", "case-performance", "case-performance-xlsx"):
        assert (
            client_for(world.users["enterprise_south"]).get(reverse(name, args=[case.pk])).status_code == 404
        )
    # The district bureau sees the case but does not edit the enterprise's targets.
    staff = client_for(world.users["district"])
    assert staff.get(reverse("case-targets", args=[case.pk])).status_code == 200
    assert _post(staff, case, form="focus", audit_focus="x").status_code == 404
    assert AuditCase.objects.get(pk=case.pk).audit_focus == ""


def test_the_case_page_shows_the_stage_the_audit_is_in(world, client_for):
    case = _auditing(world)
    target_services.audit_focus_save(case=case, actor=world.users["enterprise"], text="电镀车间")
    target_services.target_save(
        case=case, actor=world.users["enterprise"], data=_data(target_year=case.published_on.year)
    )
    page = client_for(world.users["district"]).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-stage="pre_assessment" data-done="1"' in page
    assert 'data-stage="assessment" data-done="0" data-current="1"' in page
    # the stage's badge says "current stage", not the documents' "current version"
    assert "当前阶段" in page and "当前版本" not in page


def test_actual_values_only_while_implementing(world):
    case = _auditing(world)
    target = target_services.target_save(
        case=case, actor=world.users["enterprise"], data=_data(target_year=case.published_on.year)
    )
    with pytest.raises(OptionRefused):
        target_services.target_actual_save(
            case=case, actor=world.users["enterprise"], target_id=target.pk, actual=D("100")
        )
    assert Target.objects.get(pk=target.pk).actual is None


def test_the_performance_table_is_generated_from_options_benefits_and_targets(world, client_for):
    import io

    import openpyxl

    from qingshen.cases import options
    from qingshen.cases.models import Indicator
    from qingshen.cases.options import OptionData

    case = _auditing(world)
    ent = world.users["enterprise"]
    options.baseline_save(case=case, actor=ent, indicator=Indicator.objects.get(code="energy"), value=D(1000))
    options.option_save(
        case=case,
        actor=ent,
        data=OptionData(
            code="F7",
            name="余热回收",
            cost_class="high",
            investment=D(80),
            planned_on=case.published_on,
            benefits={"energy": (D(140), None)},
        ),
    )
    target_services.audit_focus_save(case=case, actor=ent, text="锅炉房")
    target_services.target_save(
        case=case,
        actor=ent,
        data=_data(
            name="综合能耗", baseline=D(1000), target_value=D(900), target_year=case.published_on.year
        ),
    )
    client = client_for(world.users["district"])
    page = client.get(reverse("case-performance", args=[case.pk])).content.decode()
    assert 'data-option="F7"' in page and "余热回收" in page and "锅炉房" in page
    assert 'data-indicator="energy"' in page and "综合能耗" in page and 'data-status="unknown"' in page
    response = client.get(reverse("case-performance-xlsx", args=[case.pk]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert {"F7", "余热回收", "锅炉房", "综合能耗", 80, 1000, 900} <= set(cells)


def test_a_target_is_changed_from_its_filled_form(world, client_for):
    case = _auditing(world)
    target = target_services.target_save(
        case=case, actor=world.users["enterprise"], data=_data(target_year=case.published_on.year)
    )
    client = client_for(world.users["enterprise"])
    page = client.get(reverse("case-targets", args=[case.pk]), {"edit": target.pk}).content.decode()
    assert f'name="target" value="{target.pk}"' in page and 'value="单位产品综合能耗"' in page
    post = {"form": "target", "target": target.pk, "name": "单位产品综合能耗", "unit": "kgce/t",
            "direction": "lower", "baseline": "120", "target_value": "100", "target_year": case.published_on.year}  # fmt: skip
    assert client.post(reverse("case-targets", args=[case.pk]), post).status_code == 302
    assert Target.objects.get(pk=target.pk).target_value == 100 and Target.objects.count() == 1
    other = target_services.target_save(
        case=world.case_south,
        actor=world.users["enterprise_south"],
        data=_data(target_year=case.published_on.year),
    )
    # Another case's target id is not one of this case's: refused beside the form, nothing changed.
    response = client.post(reverse("case-targets", args=[case.pk]), {**post, "target": other.pk})
    assert response.status_code == 200 and Target.objects.get(pk=other.pk).target_value == 108
