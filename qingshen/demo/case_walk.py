"""Walking one case along a path of states through the real services, dated with `effective_on`."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.cases import services as case_services
from qingshen.cases.lifecycle import Action, ReviewStep, review_action, transition_get
from qingshen.demo.disclosures import disclosure_fill_for_demo
from qingshen.demo.world import INDUSTRY_NAMES, P_2025
from qingshen.registry.models import Industry

# The path to each state as (action, days after P); every state of the lifecycle appears.
PATHS = {
    "listed": [],
    "disclosed": [(Action.DISCLOSE, 20)],
    "auditing": [(Action.DISCLOSE, 20), (Action.START_AUDIT, 45)],
    "report_submitted": [(Action.DISCLOSE, 20), (Action.START_AUDIT, 45), (Action.SUBMIT_REPORT, 300)],
}
PATHS["evaluation_applied"] = [*PATHS["report_submitted"], (Action.APPLY_EVALUATION, 320)]
PATHS["evaluating"] = [*PATHS["evaluation_applied"], (Action.ACCEPT_EVALUATION_APPLICATION, 324)]
PATHS["implementing"] = [*PATHS["evaluating"], (Action.PASS_EVALUATION, 350)]
PATHS["acceptance_applied"] = [*PATHS["implementing"], (Action.APPLY_ACCEPTANCE, 480)]
PATHS["accepting"] = [*PATHS["acceptance_applied"], (Action.ACCEPT_ACCEPTANCE_APPLICATION, 484)]
PATHS["accepted"] = [*PATHS["accepting"], (Action.PASS_ACCEPTANCE, 510)]
PATHS["published"] = [*PATHS["accepted"], (Action.PUBLISH_RESULT, 520)]
PATHS["withdrawn"] = [(Action.DISCLOSE, 20), (Action.WITHDRAW, 100)]
# A loop: refused once, applied again, now under evaluation.
PATHS["refused_then_evaluating"] = [
    *PATHS["evaluation_applied"],
    (Action.REFUSE_EVALUATION_APPLICATION, 323),
    (Action.SUBMIT_REPORT, 330),
    (Action.APPLY_EVALUATION, 333),
    (Action.ACCEPT_EVALUATION_APPLICATION, 336),
]
# The panel failed the audit: back to auditing with the panel's reasons (used by tests).
PATHS["evaluation_failed"] = [*PATHS["evaluating"], (Action.FAIL_EVALUATION, 350)]


def lead_staff(case, bureau_user):
    """Who takes a bureau step on `case`: `bureau_user` if its department leads the case, else the
    leading department's account of the same role and jurisdiction (the energy-saving authority's for an
    energy-only case: cases.scoping.leads_case), made for the walk when there is none."""
    from qingshen.accounts.models import User
    from qingshen.cases import scoping

    if scoping.leads_case(bureau_user, case):
        return bureau_user
    authority = scoping.case_lead_authority(case)
    user = (
        User.objects.filter(
            role=bureau_user.role, jurisdiction=bureau_user.jurisdiction, authority=authority, is_active=True
        )
        .order_by("pk")
        .first()
    )
    if user is None:
        user = User.objects.create(
            username=f"{bureau_user.username}-{authority}"[:150],
            role=bureau_user.role,
            jurisdiction=bureau_user.jurisdiction,
            authority=authority,
            first_name=bureau_user.first_name[:20],
        )
    return user


def walk_case(
    case,
    path,
    *,
    city_user,
    enterprise_user,
    start: datetime.date,
    reason: str = "",
    level: str = "",
    render_opinions: bool = False,
):
    """Take the steps of `path` on `case`, each dated `start` + its offset (never later than today).

    Plain steps go through case_transition; applications, checks and conclusions through the reviews
    services (materials, completeness check, a drawn panel, sheets, the chair's confirmation). Used by
    the demo and by the tests."""
    today = timezone.localdate()
    city_user = lead_staff(case, city_user)
    for n, (action, offset) in enumerate(path):
        day = min(start + datetime.timedelta(days=offset), today)
        transition = transition_get(action)
        if action == Action.APPLY_ACCEPTANCE:
            target_actuals_fill_for_demo(case=case, actor=enterprise_user)
        if transition.via_review:
            _review_step(
                case,
                transition,
                next_action=path[n + 1][0] if n + 1 < len(path) else "",
                city_user=city_user,
                enterprise_user=enterprise_user,
                day=day,
                reason=reason,
                level=level,
                render_opinions=render_opinions,
            )
            continue
        actor = enterprise_user if Role.ENTERPRISE in transition.roles else city_user
        kwargs = {"case_id": case.pk, "actor": actor, "action": action, "effective_on": day}
        if action == Action.DISCLOSE:
            # Art. 11: the step submits a complete disclosure with its proof.
            disclosure_fill_for_demo(case=case, actor=enterprise_user)
        if action == Action.SUBMIT_REPORT:
            report_contents_fill_for_demo(case=case, actor=enterprise_user)
        if transition.needs_document:
            case_services.case_transition_with_upload(
                upload=ContentFile(b"%PDF-1.4\n% demo: closure notice\n", name="关停证明.pdf"),
                reason=reason or "企业已关停（政府关闭文件见附件）。",
                **kwargs,
            )
        else:
            case_services.case_transition(**kwargs)
    case.refresh_from_db()
    return case


def report_contents_fill_for_demo(*, case, actor) -> None:
    """The audit focus and one energy target the report goes with (cases.targets), where missing."""
    from decimal import Decimal

    from qingshen.cases import targets
    from qingshen.cases.models import AuditCase
    from qingshen.cases.target_rules import TargetData

    case = AuditCase.objects.get(pk=case.pk)
    if not case.audit_focus.strip():
        targets.audit_focus_save(case=case, actor=actor, text="主要耗能工序（锅炉房及空压站）")
    if not case.targets.filter(withdrawn=False).exists():
        _first, last = targets.target_year_range(case)
        data = TargetData(
            name="单位产品综合能耗",
            unit="kgce/t",
            direction="lower",
            baseline=Decimal("120"),
            target_value=Decimal("108"),
            target_year=min(case.published_on.year + 1, last),
        )
        targets.target_save(case=case, actor=actor, data=data)


def target_actuals_fill_for_demo(*, case, actor) -> None:
    """Before acceptance, the actual value of each target measured by no benefit and still without one:
    the target reached (an unmet target vetoes the acceptance under the default rubric)."""
    from qingshen.cases import targets

    for target in case.targets.filter(withdrawn=False, actual__isnull=True, indicator__isnull=True):
        targets.target_actual_save(case=case, actor=actor, target_id=target.pk, actual=target.target_value)


OPTION_STATES = {"implementing", "acceptance_applied", "accepting", "accepted", "published"}


def demo_options(case, owner) -> None:
    """Baselines and a typical option table, through the real services."""
    from decimal import Decimal as D

    from qingshen.cases import options as option_services
    from qingshen.cases.models import Indicator

    done = case.state != "implementing"
    for code, value in (("energy", "5200"), ("water", "180000"), ("cod", "42"), ("electricity", "860")):
        option_services.baseline_save(
            case=case,
            actor=owner,
            indicator=Indicator.objects.get(code=code),
            value=D(value),
            source="审核报告",
        )
    day = case.audit_started_on or case.published_on
    late = case.evaluation_passed_on or day
    rows = [
        ("F1", "加强设备跑冒滴漏管理", "low", "0.5", {"water": ("3000", "3200"), "economic": ("1.2", "1.3")}),
        ("F2", "照明改用LED", "low", "3.2", {"electricity": ("12", "11.5"), "economic": ("7.8", "7.5")}),
        ("F3", "冷凝水回收利用", "low", "6", {"water": ("12000", "11800"), "energy": ("35", "33")}),
        (
            "Z1",
            "空压机余热回收及变频改造",
            "high",
            "85",
            {"electricity": ("60", None), "energy": ("180", None)},
        ),
        ("Z2", "废水深度处理回用", "high", "260", {"water": ("40000", None), "cod": ("6.5", None)}),
    ]
    data = []
    for code, name, cost, inv, benefits in rows:
        high = cost == "high"
        implemented = not high or done
        data.append(
            option_services.OptionData(
                code=code,
                name=name,
                cost_class=cost,
                investment=D(inv),
                status="implemented" if implemented else "implementing",
                planned_on=day,
                started_on=late if high else day,
                implemented_on=(case.acceptance_applied_on or late)
                if implemented and high
                else (day if implemented else None),
                benefits={
                    k: (D(e), D(v) if v is not None else (D(e) if implemented and done else None))
                    for k, (e, v) in benefits.items()
                },
            )
        )
    option_services.options_save(case=case, actor=owner, rows=data)


def _review_step(
    case, transition, *, next_action, city_user, enterprise_user, day, reason, level, render_opinions
):
    from qingshen.demo import walk
    from qingshen.reviews.services.applications import review_check

    kind, step = transition.review
    if step == ReviewStep.APPLY:
        # An application about to be refused lacks a material, so the refusal is an ordinary one.
        complete = next_action != review_action(kind, ReviewStep.REFUSE)
        walk.application_submit(case=case, kind=kind, actor=enterprise_user, day=day, complete=complete)
        return
    review = walk.open_review(case, kind)
    if step in {ReviewStep.ACCEPT, ReviewStep.REFUSE}:
        review_check(
            review_id=review.pk,
            actor=city_user,
            accept=step == ReviewStep.ACCEPT,
            reason=reason or "申请材料缺少清洁生产审核报告的技术支撑材料（物料平衡测试报告）。",
            effective_on=day,
        )
        return
    passed = step == ReviewStep.PASS
    walk.panel_conclude(
        review=review,
        passed=passed,
        city_user=city_user,
        day=day,
        level=(level or ["I", "II", "III"][case.pk % 3]) if passed else "",
        render_opinions=render_opinions,
    )


def demo_panel(programme, expert_user, agency, city_user) -> None:
    """The demo expert (all the demo's industries) is invited as the chair of a fresh panel: never drawn
    before, it comes first among the least recently drawn."""
    from qingshen.demo import walk
    from qingshen.registry.models import AgencyStaff
    from qingshen.reviews.models import Expert
    from qingshen.reviews.services.draw import panel_draw

    for name, role, cert in [("周审核", "技术负责人", "CPA-2019-0311"), ("吴工", "审核师", "CPA-2021-0127")]:
        AgencyStaff.objects.get_or_create(
            agency=agency, name=name, defaults={"role": role, "certificate_no": cert}
        )
    expert, _ = Expert.objects.get_or_create(
        user=expert_user,
        defaults={
            "name": expert_user.first_name,
            "title": "正高级工程师",
            "employer_name": "重庆大学",
            "fields": ["process", "environment", "audit"],
            "certificate_no": "CP-DEMO-0001",
        },
    )
    expert.specialties.set(
        Industry.objects.filter(level="division", code__in=[c for c, _s, _x in INDUSTRY_NAMES])
    )
    case = programme.cases.filter(state="evaluating", reviews__panel__isnull=True).order_by("pk").first()
    if case is None or case.enterprise.industry is None:
        return
    walk.expert_pool_ensure(industry=case.enterprise.industry, count=6)
    # The pool's history: everyone else sat on a panel in 2025, so the demo expert is drawn first (chair).
    Expert.objects.filter(last_drawn_on__isnull=True).exclude(pk=expert.pk).update(last_drawn_on=P_2025)
    review = walk.open_review(case, "evaluation")
    panel_draw(review_id=review.pk, actor=lead_staff(case, city_user))
