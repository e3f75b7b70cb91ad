"""Acceptance judges the results against the targets: the review page shows each target met or not, and
the rubric's unmet-targets veto fails the acceptance whatever the score (unless the city turns it off)."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from qingshen.cases import options
from qingshen.cases import targets as target_services
from qingshen.cases.models import AuditCase, Indicator
from qingshen.cases.options import OptionData
from qingshen.cases.target_rules import TargetData
from qingshen.demo import walk
from qingshen.demo.case_walk import PATHS, walk_case
from qingshen.reviews import rubric_text
from qingshen.reviews.models import Review, Rubric
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.configuration import rubric_version_create
from tests import factories as f

D = Decimal


def _implementing_with_targets(w):
    """case_north with a focus, two targets set while auditing, then evaluated (passed) and its one
    mid/high-cost option implemented with a verified energy saving of 150 tce."""
    ent, city = w.users["enterprise"], w.users["city"]
    case = f.walk(w.case_north, "auditing", city_user=city, enterprise_user=ent)
    year = case.published_on.year
    energy = Indicator.objects.get(code="energy")
    options.baseline_save(case=case, actor=ent, indicator=energy, value=D(1000))
    target_services.audit_focus_save(case=case, actor=ent, text="锅炉房")
    linked = target_services.target_save(
        case=case,
        actor=ent,
        data=TargetData("综合能耗", "tce/a", "lower", D(1000), D(900), year, indicator_code="energy"),
    )
    water = target_services.target_save(
        case=case, actor=ent, data=TargetData("单位产品水耗", "t/t", "lower", D(5), D(4), year)
    )
    walk_case(case, PATHS["implementing"][2:], city_user=city, enterprise_user=ent, start=case.published_on)
    case = AuditCase.objects.get(pk=case.pk)
    assert case.state == "implementing"
    today = timezone.localdate()
    options.option_save(
        case=case,
        actor=ent,
        data=OptionData(
            code="F1",
            name="余热回收",
            cost_class="high",
            investment=D(80),
            status="implemented",
            planned_on=case.published_on,
            started_on=case.published_on,
            implemented_on=today,
            benefits={"energy": (D(140), D(150))},
        ),
    )
    return case, linked, water


def _accept(w, case, passed=True):
    case = AuditCase.objects.get(pk=case.pk)
    walk.application_submit(case=case, kind="acceptance", actor=w.users["enterprise"], day=case.published_on)
    review = walk.open_review(case, "acceptance")
    review_check(review_id=review.pk, actor=w.users["city"], accept=True)
    walk.panel_conclude(
        review=review, passed=passed, city_user=w.users["city"], day=timezone.localdate(), level="II"
    )
    return Review.objects.get(pk=review.pk)


def test_an_unmet_target_vetoes_the_acceptance_and_the_page_shows_each_target(world, client_for):
    w = world
    case, linked, water = _implementing_with_targets(w)
    target_services.target_actual_save(
        case=case, actor=w.users["enterprise"], target_id=water.pk, actual=D("4.5")
    )
    review = _accept(w, case)
    # Every expert scored 90 %: only the targets fail it.
    assert review.result_score >= review.rubric.pass_mark
    assert review.result_vetoed and review.outcome == Review.Outcome.FAIL
    assert "单位产品水耗" in review.conclusion_reasons and "综合能耗" not in review.conclusion_reasons
    assert AuditCase.objects.get(pk=case.pk).state == "implementing"
    page = client_for(w.users["city"]).get(reverse("review-detail", args=[review.pk])).content.decode()
    assert f'data-target="{linked.pk}" data-status="met"' in page  # 1000 − 150 verified = 850 ≤ 900
    assert f'data-target="{water.pk}" data-status="not_met"' in page
    assert 'id="targets-veto"' in page
    seat = review.panel.seats.filter(status="accepted").first()
    seat_page = client_for(seat.expert.user).get(reverse("seat-detail", args=[seat.pk])).content.decode()
    assert 'id="seat-targets"' in seat_page and f'data-target="{water.pk}" data-status="not_met"' in seat_page
    assert (
        client_for(w.users["enterprise_south"]).get(reverse("review-detail", args=[review.pk])).status_code
        == 404
    )


def test_a_rubric_without_the_veto_lets_the_score_decide(world):
    w = world
    case, _linked, water = _implementing_with_targets(w)
    target_services.target_actual_save(
        case=case, actor=w.users["enterprise"], target_id=water.pk, actual=D("4.5")
    )
    active = Rubric.objects.get(kind="acceptance", is_active=True)
    rubric_version_create(
        actor=w.users["city"],
        kind="acceptance",
        name=active.name,
        lines=rubric_text.rubric_lines(active.items.all()),
        pass_mark=str(active.pass_mark),
        pass_mark_source=active.pass_mark_source,
        bonus_max=str(active.bonus_max),
        veto_unmet_targets=False,
    )
    review = _accept(w, case)
    assert not review.rubric.veto_unmet_targets
    assert not review.result_vetoed and review.outcome == Review.Outcome.PASS


def test_met_targets_pass(world):
    w = world
    case, _linked, water = _implementing_with_targets(w)
    target_services.target_actual_save(
        case=case, actor=w.users["enterprise"], target_id=water.pk, actual=D("3.9")
    )
    review = _accept(w, case)
    assert review.rubric.veto_unmet_targets and not review.result_vetoed
    assert review.outcome == Review.Outcome.PASS


def test_the_city_sets_the_veto_per_acceptance_rubric_on_the_settings_page(world, client_for):
    client = client_for(world.users["city"])
    page = client.get(reverse("review-settings")).content.decode()
    assert page.count('name="veto_unmet_targets"') == 1  # the acceptance rubric only
    active = Rubric.objects.get(kind="acceptance", is_active=True)
    assert active.veto_unmet_targets  # the default
    post = {
        "op": "rubric_version",
        "kind": "acceptance",
        "lines": rubric_text.rubric_lines(active.items.all()),
        "pass_mark": "70",
        "pass_mark_source": "京环发〔2009〕",
    }
    client.post(reverse("review-settings"), post)
    assert not Rubric.objects.get(kind="acceptance", is_active=True).veto_unmet_targets
    client.post(reverse("review-settings"), {**post, "veto_unmet_targets": "on"})
    assert Rubric.objects.get(kind="acceptance", is_active=True).veto_unmet_targets
    assert client_for(world.users["enterprise"]).post(reverse("review-settings"), post).status_code == 404
