"""Writes on a case's audit focus (审核重点) and cleaner production targets (清洁生产目标).

The focus and the targets are set in pre-assessment and go with the report: they may be changed until
the evaluation is applied for (and again if it sends the case back to `auditing`). The actual values are
entered while the options are implemented, before acceptance is applied for.
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.cases import scoping, target_rules
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.models import AuditCase, Indicator, Target
from qingshen.cases.options import OptionRefused, base_year_of
from qingshen.cases.states import State
from qingshen.trail.services import event_record

PLANNING_STATES = {State.LISTED, State.DISCLOSED, State.AUDITING, State.REPORT_SUBMITTED}
ACTUAL_STATES = {State.IMPLEMENTING}
FOCUS_MAX_CHARS = 2000


def target_year_range(case: AuditCase) -> tuple[int, int]:
    """From the base year (or the list's year before one is entered) to the list's year plus
    QINGSHEN_TARGET_YEAR_MAX_AFTER_LIST."""
    first = base_year_of(case) or case.published_on.year
    return first, case.published_on.year + settings.QINGSHEN_TARGET_YEAR_MAX_AFTER_LIST


def may_plan(user, case: AuditCase) -> bool:
    return case.state in PLANNING_STATES and scoping.may_edit_case_materials(user, case)


def may_enter_actuals(user, case: AuditCase) -> bool:
    return case.state in ACTUAL_STATES and scoping.may_edit_case_materials(user, case)


def _locked(case: AuditCase, actor, allowed) -> AuditCase:
    if not scoping.may_edit_case_materials(actor, case):
        raise CaseNotFound()
    locked = AuditCase.objects.select_for_update().get(pk=case.pk)
    if locked.state not in allowed:
        if allowed is PLANNING_STATES:
            raise OptionRefused(
                [("", _("The audit focus and the targets are fixed once the evaluation is applied for."))]
            )
        raise OptionRefused([("", _("Actual values are entered while the options are being implemented."))])
    return locked


def focus_and_targets_entered(step) -> None:
    """Guard of `submit_report`: the report goes with its audit focus and at least one target
    (domain.md §6, pre-assessment); both are what the evaluation and the acceptance check."""
    missing = []
    if not step.case.audit_focus.strip():
        missing.append(_("the audit focus (审核重点)"))
    if not Target.objects.filter(case=step.case, withdrawn=False).exists():
        missing.append(_("at least one cleaner production target (清洁生产目标)"))
    if missing:
        raise TransitionRefused(
            _("The audit report is submitted with %(missing)s: enter them on the case's targets page first.")
            % {"missing": _(" and ").join(str(m) for m in missing)}
        )


@transaction.atomic
def audit_focus_save(*, case: AuditCase, actor, text: str) -> AuditCase:
    locked = _locked(case, actor, PLANNING_STATES)
    text = (text or "").strip()
    if not text:
        raise OptionRefused([("audit_focus", _("Describe the audit focus (审核重点)."))])
    if len(text) > FOCUS_MAX_CHARS:
        raise OptionRefused(
            [("audit_focus", _("The audit focus is at most %(n)s characters.") % {"n": FOCUS_MAX_CHARS})]
        )
    before = {"audit_focus": locked.audit_focus}
    locked.audit_focus = text
    locked.save(update_fields=["audit_focus"])
    event_record(
        action="case.focus.save", actor=actor, obj=locked, before=before, after={"audit_focus": text}
    )
    return locked


@transaction.atomic
def target_save(
    *, case: AuditCase, actor, data: target_rules.TargetData, target_id: int | None = None
) -> Target:
    """Add a target, or change one of the case's (by id); refused with every reason, writing nothing."""
    locked = _locked(case, actor, PLANNING_STATES)
    first, last = target_year_range(locked)
    problems = target_rules.target_problems(data, first_year=first, last_year=last)
    indicator = None
    if data.indicator_code:
        indicator = Indicator.objects.filter(code=data.indicator_code).first()
        if indicator is None:
            problems.append(("indicator", _("Unknown indicator “%(c)s”.") % {"c": data.indicator_code[:30]}))
    if problems:
        raise OptionRefused(problems)
    target, before = None, None
    if target_id is not None:
        target = Target.objects.select_for_update().filter(case=locked, pk=target_id, withdrawn=False).first()
        if target is None:
            raise OptionRefused([("", _("No such target in this case."))])
        before = {"name": target.name, "baseline": target.baseline, "target_value": target.target_value}
    target = target or Target(case=locked)
    target.name, target.unit = data.name.strip()[:100], data.unit.strip()[:30]
    target.direction, target.indicator = data.direction, indicator
    target.baseline, target.target_value, target.target_year = (
        data.baseline,
        data.target_value,
        data.target_year,
    )
    target.updated_by = actor
    target.save()
    event_record(
        action="target.save",
        actor=actor,
        obj=target,
        before=before,
        after={
            "case": locked.pk,
            "name": target.name,
            "unit": target.unit,
            "direction": target.direction,
            "indicator": indicator.code if indicator else "",
            "baseline": target.baseline,
            "target_value": target.target_value,
            "target_year": target.target_year,
        },
    )
    return target


@transaction.atomic
def target_withdraw(*, case: AuditCase, actor, target_id: int) -> Target:
    """A target entered by mistake: kept on record, left out of the acceptance and the table."""
    locked = _locked(case, actor, PLANNING_STATES)
    target = Target.objects.select_for_update().filter(case=locked, pk=target_id, withdrawn=False).first()
    if target is None:
        raise OptionRefused([("", _("No such target in this case."))])
    target.withdrawn = True
    target.updated_by = actor
    target.save(update_fields=["withdrawn", "updated_by", "updated_at"])
    event_record(
        action="target.withdraw", actor=actor, obj=target, after={"case": locked.pk, "name": target.name}
    )
    return target


@transaction.atomic
def target_actual_save(*, case: AuditCase, actor, target_id: int, actual: Decimal | None) -> Target:
    """The value reached, measured after the options (None: derive it from the verified benefits)."""
    locked = _locked(case, actor, ACTUAL_STATES)
    target = Target.objects.select_for_update().filter(case=locked, pk=target_id, withdrawn=False).first()
    if target is None:
        raise OptionRefused([("", _("No such target in this case."))])
    if actual is not None and (
        not actual.is_finite() or actual < 0 or abs(actual) >= target_rules.FIGURE_LIMIT
    ):
        raise OptionRefused([("actual", _("An actual value is a number of 0 or more."))])
    before = {"actual": target.actual}
    target.actual = actual
    target.updated_by = actor
    target.save(update_fields=["actual", "updated_by", "updated_at"])
    event_record(action="target.actual", actor=actor, obj=target, before=before, after={"actual": actual})
    return target
