"""The arithmetic of cleaner production targets, on plain values: no database, so it is tested on its own.

A target says: this indicator, `baseline` before the audit, `target_value` by `target_year`, lower or
higher being better. At acceptance its actual value is the enterprise's figure or, for a target measured
by a benefit indicator, the baseline less (lower is better) or plus (higher is better) the options'
verified benefits; the target is met when the actual value reaches the target value.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

LOWER, HIGHER = "lower", "higher"  # Target.Direction values
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
# Decimal(14, 4) columns: a figure must stay below this.
FIGURE_LIMIT = Decimal(10) ** 10


@dataclass
class TargetData:
    name: str
    unit: str
    direction: str
    baseline: Decimal | None
    target_value: Decimal | None
    target_year: int | None
    indicator_code: str = ""


def target_problems(data: TargetData, *, first_year: int, last_year: int) -> list[tuple[str, str]]:
    """The rules one target must meet (field, reason): named, a unit, a direction, non-negative figures,
    a target that improves on the baseline, a year from `first_year` to `last_year`."""
    problems = []
    if not data.name.strip():
        problems.append(("name", _("Name the indicator of the target.")))
    if not data.unit.strip():
        problems.append(("unit", _("Give the unit of the indicator.")))
    if data.direction not in (LOWER, HIGHER):
        problems.append(("direction", _("Choose whether lower or higher is better.")))
    for field_name, value in (("baseline", data.baseline), ("target_value", data.target_value)):
        if value is None:
            problems.append((field_name, _("Enter the baseline and the target value.")))
        elif value < 0:
            problems.append((field_name, _("A baseline or target value cannot be negative.")))
    if data.baseline is not None and data.target_value is not None and data.direction in (LOWER, HIGHER):
        if data.direction == LOWER and data.target_value >= data.baseline:
            problems.append(("target_value", _("Lower is better: the target must be below the baseline.")))
        if data.direction == HIGHER and data.target_value <= data.baseline:
            problems.append(("target_value", _("Higher is better: the target must be above the baseline.")))
    if data.target_year is None or not first_year <= data.target_year <= last_year:
        problems.append(
            (
                "target_year",
                _("The target year is from %(low)s to %(high)s.") % {"low": first_year, "high": last_year},
            )
        )
    return problems


def actual_of(
    *, direction: str, baseline: Decimal, entered: Decimal | None, verified: Decimal | None
) -> Decimal | None:
    """The actual value: the enterprise's figure if entered, else derived from the verified benefits
    (a reduction lowers the figure, a gain raises it), else unknown (None)."""
    if entered is not None:
        return entered
    if verified is None:
        return None
    return baseline - verified if direction == LOWER else baseline + verified


def target_status(*, direction: str, target_value: Decimal, actual: Decimal | None) -> str:
    """MET when the actual value reaches the target (at or below it when lower is better, at or above
    when higher is), NOT_MET when it does not, UNKNOWN without an actual value."""
    if actual is None:
        return UNKNOWN
    reached = actual <= target_value if direction == LOWER else actual >= target_value
    return MET if reached else NOT_MET


def improvement(*, baseline: Decimal, actual: Decimal | None) -> Decimal | None:
    """The change from the baseline, as a share of it (for the performance table); None if unknown."""
    if actual is None or not baseline:
        return None
    return ((actual - baseline) / baseline * 100).quantize(Decimal("0.1"))
