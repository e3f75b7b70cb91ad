"""Writes on a case's cleaner production options, their benefits and the case's baseline.

Every write checks the same rules, whether it comes from the form or from the xlsx import:
no negative investment or benefit, no impossible date (implemented before adopted, in the future,
before the start of the audit's base year), and no reduction larger than the baseline it is measured against.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.errors import CaseError, CaseNotFound
from qingshen.cases.models import AuditCase, Baseline, Benefit, Indicator, Option
from qingshen.cases.rollups import rollup_refresh_for_case
from qingshen.trail.services import event_record


class OptionRefused(CaseError):
    """`problems` holds (field, message) pairs; `message` joins them."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("；".join(m for _f, m in problems))
        self.problems = problems


@dataclass
class OptionData:
    code: str
    name: str
    cost_class: str
    investment: Decimal
    status: str = Option.Status.PLANNED
    planned_on: datetime.date | None = None
    started_on: datetime.date | None = None
    implemented_on: datetime.date | None = None
    dropped_reason: str = ""
    # indicator code -> (expected, verified or None)
    benefits: dict[str, tuple[Decimal, Decimal | None]] = field(default_factory=dict)


def base_year_range(case: AuditCase, today: datetime.date | None = None) -> tuple[int, int]:
    """The years a case's base year (审核基准年) may be: from QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST years
    before the list's year to this year."""
    today = today or timezone.localdate()
    return case.published_on.year - settings.QINGSHEN_BASE_YEAR_MAX_BEFORE_LIST, today.year


def base_year_of(case: AuditCase) -> int | None:
    """The year of the case's baselines (one for all of them), or None before the first."""
    return Baseline.objects.filter(case=case).order_by("year").values_list("year", flat=True).first()


def earliest_option_day(case: AuditCase) -> datetime.date:
    """Options may be dated from the start of the audit's base year (before a baseline is entered: of
    the earliest base year allowed), whatever the list's publication date."""
    year = base_year_of(case) or base_year_range(case)[0]
    return datetime.date(year, 1, 1)


def option_problems(
    case: AuditCase,
    data: OptionData,
    today: datetime.date | None = None,
    earliest: datetime.date | None = None,
) -> list[tuple[str, str]]:
    """The rules one option must meet on its own (field, reason). `earliest`: earliest_option_day(case),
    when the caller checks many rows."""
    today = today or timezone.localdate()
    earliest = earliest or earliest_option_day(case)
    problems = []
    if not data.code.strip():
        problems.append(("code", _("Give the option a number (e.g. F1).")))
    if not data.name.strip():
        problems.append(("name", _("Give the option a name.")))
    if data.cost_class not in Option.CostClass.values:
        problems.append(("cost_class", _("Choose no/low-cost or mid/high-cost.")))
    if data.status not in Option.Status.values:
        problems.append(("status", _("Choose planned, being implemented, implemented or dropped.")))
    if data.investment is None:
        problems.append(("investment", _("Enter the investment in 10k yuan (0 if there is none).")))
    elif data.investment < 0:
        problems.append(("investment", _("The investment cannot be negative.")))
    if data.planned_on is None:
        problems.append(("planned_on", _("Enter the date the option was adopted.")))
    dates = [
        ("planned_on", data.planned_on),
        ("started_on", data.started_on),
        ("implemented_on", data.implemented_on),
    ]
    for name, day in dates:
        if day is None:
            continue
        if day > today:
            problems.append((name, _("A date cannot be in the future (%(day)s).") % {"day": day}))
        if day < earliest:
            problems.append(
                (
                    name,
                    _("A date cannot be before the start of the audit's base year (%(day)s).")
                    % {"day": earliest},
                )
            )
    if data.planned_on and data.started_on and data.started_on < data.planned_on:
        problems.append(("started_on", _("Implementation cannot start before the option was adopted.")))
    if data.planned_on and data.implemented_on and data.implemented_on < data.planned_on:
        problems.append(("implemented_on", _("An option cannot be implemented before it was adopted.")))
    if data.started_on and data.implemented_on and data.implemented_on < data.started_on:
        problems.append(("implemented_on", _("An option cannot be finished before it was started.")))
    if data.status == Option.Status.IMPLEMENTED and data.implemented_on is None:
        problems.append(("implemented_on", _("An implemented option needs the date it was finished.")))
    if data.status == Option.Status.IMPLEMENTING and data.started_on is None:
        problems.append(("started_on", _("An option being implemented needs the date it started.")))
    if data.status == Option.Status.PLANNED and data.implemented_on is not None:
        problems.append(("status", _("An option with a finish date is implemented, not planned.")))
    if data.status == Option.Status.DROPPED:
        if not (data.dropped_reason or "").strip():
            problems.append(("dropped_reason", _("Say why the option was dropped.")))
        if data.implemented_on is not None:
            problems.append(("status", _("An option with a finish date is implemented, not dropped.")))
    for code, (expected, verified) in data.benefits.items():
        for value in (expected, verified):
            if value is not None and value < 0:
                problems.append((code, _("A benefit cannot be negative.")))
    return problems


def proposed_benefits(rows: list[OptionData]) -> dict[str, dict]:
    """Option number -> the benefits it will count with after saving `rows`: none for a dropped one."""
    return {d.code.strip(): {} if d.status == Option.Status.DROPPED else d.benefits for d in rows}


def _reduction_problems(case: AuditCase, proposed: dict[str, dict[str, tuple]]) -> list[tuple[str, str, str]]:
    """(option code, indicator code, reason) where the case's total reduction would exceed its baseline.

    `proposed` maps option code -> its benefits after the change; the other options keep theirs.
    """
    indicators = {i.code: i for i in Indicator.objects.all()}
    baselines = {
        b.indicator.code: b.value for b in Baseline.objects.filter(case=case).select_related("indicator")
    }
    totals: dict[str, list[Decimal]] = {}
    existing = (
        Benefit.objects.filter(option__case=case)
        .exclude(option__code__in=list(proposed))
        .exclude(option__status=Option.Status.DROPPED)
    )
    for row in existing.values("indicator__code").annotate(e=Sum("expected"), v=Sum("verified")):
        totals[row["indicator__code"]] = [row["e"] or Decimal(0), row["v"] or Decimal(0)]
    for benefits in proposed.values():
        for code, (expected, verified) in benefits.items():
            t = totals.setdefault(code, [Decimal(0), Decimal(0)])
            t[0] += expected or 0
            t[1] += verified or 0
    problems = []
    for code, (expected, verified) in totals.items():
        ind = indicators.get(code)
        if ind is None or not ind.is_reduction or (expected == 0 and verified == 0):
            continue
        base = baselines.get(code)
        culprits = [o for o, b in proposed.items() if code in b] or [""]
        if base is None:
            reason = _(
                "Enter the baseline (before the audit) of %(ind)s first: reductions are measured against it."
            )
        elif max(expected, verified) > base:
            reason = _(
                "The options together would reduce %(ind)s by %(total)s, more than its baseline of %(base)s."
            )
        else:
            continue
        text = reason % {"ind": ind, "total": max(expected, verified), "base": base}
        problems.extend((o, code, text) for o in culprits)
    return problems


def _write_option(case: AuditCase, data: OptionData, actor, indicators: dict) -> Option:
    option = Option.objects.select_for_update().filter(case=case, code=data.code.strip()).first()
    before = None
    if option is None:
        option = Option(case=case, code=data.code.strip())
    else:
        before = {"name": option.name, "investment": option.investment, "status": option.status}
    option.name = data.name.strip()
    option.cost_class = data.cost_class
    option.investment = data.investment
    option.status = data.status
    option.planned_on = data.planned_on
    option.started_on = data.started_on
    option.implemented_on = data.implemented_on
    option.dropped_reason = (
        (data.dropped_reason or "").strip() if data.status == Option.Status.DROPPED else ""
    )
    option.updated_by = actor
    option.save()
    for code, (expected, verified) in data.benefits.items():
        Benefit.objects.update_or_create(
            option=option, indicator=indicators[code], defaults={"expected": expected, "verified": verified}
        )
    event_record(
        action="option.save",
        actor=actor,
        obj=option,
        before=before,
        after={
            "case": case.pk,
            "name": option.name,
            "cost_class": option.cost_class,
            "investment": option.investment,
            "status": option.status,
            "dropped_reason": option.dropped_reason,
            "benefits": {k: [v[0], v[1]] for k, v in data.benefits.items()},
        },
    )
    return option


def options_save(*, case: AuditCase, actor, rows: list[OptionData]) -> list[Option]:
    """Create or update options (matched by number) all together, or refuse them all."""
    if not scoping.may_edit_case_materials(actor, case):
        raise CaseNotFound()
    with transaction.atomic():
        locked = AuditCase.objects.select_for_update().get(pk=case.pk)
        indicators = {i.code: i for i in Indicator.objects.all()}
        problems = []
        earliest = earliest_option_day(locked)
        for data in rows:
            problems += [(f, m) for f, m in option_problems(locked, data, earliest=earliest)]
            problems += [
                (c, _("Unknown indicator “%(c)s”.") % {"c": c}) for c in data.benefits if c not in indicators
            ]
        if not problems:
            problems = [(ind, m) for _o, ind, m in _reduction_problems(locked, proposed_benefits(rows))]
        if problems:
            raise OptionRefused(problems)
        written = [_write_option(locked, d, actor, indicators) for d in rows]
        rollup_refresh_for_case(locked)
        return written


def option_save(*, case: AuditCase, actor, data: OptionData) -> Option:
    return options_save(case=case, actor=actor, rows=[data])[0]


def _base_year_problems(case: AuditCase, year) -> list[tuple[str, str]]:
    low, high = base_year_range(case)
    if year is None or not low <= year <= high:
        return [("year", _("The base year is from %(low)s to %(high)s.") % {"low": low, "high": high})]
    start = datetime.date(year, 1, 1)
    early = Option.objects.filter(case=case).filter(
        Q(planned_on__lt=start) | Q(started_on__lt=start) | Q(implemented_on__lt=start)
    )
    codes = list(early.order_by("code").values_list("code", flat=True))
    if codes:
        return [
            (
                "year",
                _("Options %(codes)s are dated before %(day)s; correct them before moving the base year.")
                % {"codes": "、".join(codes), "day": start},
            )
        ]
    return []


def baseline_save(
    *,
    case: AuditCase,
    actor,
    indicator: Indicator,
    value: Decimal,
    source: str = "",
    year: int | None = None,
) -> Baseline:
    """Set one baseline figure of the audit's base year (审核基准年; by default the case's, else the
    year before the list); refused if negative or below the reductions already declared. The base year
    is one per case: another year moves every baseline of the case to it."""
    if not scoping.may_edit_case_materials(actor, case):
        raise CaseNotFound()
    with transaction.atomic():
        locked = AuditCase.objects.select_for_update().get(pk=case.pk)
        if value is None or value < 0:
            raise OptionRefused([("value", _("A baseline cannot be negative."))])
        current_year = base_year_of(locked)
        if year is None:
            year = current_year or locked.published_on.year - 1
        if year != current_year:
            problems = _base_year_problems(locked, year)
            if problems:
                raise OptionRefused(problems)
        declared = (
            Benefit.objects.filter(option__case=locked, indicator=indicator)
            .exclude(option__status=Option.Status.DROPPED)
            .aggregate(e=Sum("expected"), v=Sum("verified"))
        )
        largest = max(declared["e"] or 0, declared["v"] or 0)
        if indicator.is_reduction and largest > value:
            raise OptionRefused(
                [
                    (
                        "value",
                        _("The options already reduce %(ind)s by %(total)s; the baseline cannot be smaller.")
                        % {"ind": indicator, "total": largest},
                    )
                ]
            )
        baseline = Baseline.objects.select_for_update().filter(case=locked, indicator=indicator).first()
        before = {"value": baseline.value} if baseline else None
        if baseline is None:
            baseline = Baseline(case=locked, indicator=indicator)
        if before is not None:
            before["year"] = baseline.year
        baseline.value = value
        baseline.source = (source or "").strip()[:200]
        baseline.year = year
        baseline.updated_by = actor
        baseline.save()
        moved = Baseline.objects.filter(case=locked).exclude(year=year).update(year=year)
        event_record(
            action="baseline.save",
            actor=actor,
            obj=baseline,
            before=before,
            after={
                "case": locked.pk,
                "indicator": indicator.code,
                "value": value,
                "year": year,
                "others_moved_to_year": moved,
            },
        )
        return baseline
