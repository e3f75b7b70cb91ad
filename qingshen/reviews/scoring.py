"""The arithmetic of a panel's sheets, on plain numbers: no database, so it is tested on its own.

A sheet is its lines (kind, points, weight): the scored items' points × weight, plus the bonus items'
points × weight up to the rubric's bonus maximum. The panel's result is the mean of the sheets' totals,
or the trimmed mean (without the highest and the lowest); the result passes when it reaches the pass
mark and no veto item was raised.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from qingshen.reviews.errors import ReviewRefused

CENT = Decimal("0.01")
SCORED, BONUS = "scored", "bonus"  # RubricItem.Kind values; veto items carry no points
MEAN, TRIMMED_MEAN = "mean", "trimmed_mean"
# Dropping the highest and the lowest needs a third total to remain, whatever the rule says.
TRIMMED_MEAN_FLOOR = 3


@dataclass(frozen=True)
class Line:
    kind: str  # SCORED or BONUS
    points: Decimal
    weight: Decimal = Decimal(1)


def points_parse(raw, *, label: str, max_points: Decimal) -> Decimal:
    """An expert's entry for one item: a number from 0 to the item's maximum, else refused naming it."""
    text = str(raw if raw is not None else "").strip()
    if text == "":
        raise ReviewRefused(_("Give a score for “%(item)s”.") % {"item": label})
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ReviewRefused(
            _("“%(value)s” is not a number (“%(item)s”).") % {"value": text[:20], "item": label}
        ) from exc
    if not value.is_finite() or value < 0 or value > max_points:
        raise ReviewRefused(
            _("The score for “%(item)s” must be between 0 and %(max)s.") % {"item": label, "max": max_points}
        )
    return value


def sheet_total(lines: Iterable[Line], bonus_max: Decimal) -> Decimal:
    """Σ points × weight over the scored lines, plus the bonus lines' up to `bonus_max`, to the cent."""
    lines = list(lines)
    scored = sum((line.points * line.weight for line in lines if line.kind == SCORED), Decimal(0))
    bonus = sum((line.points * line.weight for line in lines if line.kind == BONUS), Decimal(0))
    return (scored + min(bonus, bonus_max)).quantize(CENT)


def panel_result(totals: Iterable[Decimal], *, method: str = MEAN, trimmed_min_sheets: int = 3) -> Decimal:
    """The mean of the totals; by `method` the trimmed mean, once at least `trimmed_min_sheets` (and never
    fewer than three) totals are in, else the plain mean."""
    values = sorted(totals)
    if not values:
        raise ValueError("a panel result needs at least one total")
    if method == TRIMMED_MEAN and len(values) >= max(trimmed_min_sheets, TRIMMED_MEAN_FLOOR):
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT)


def passes(*, score: Decimal, pass_mark: Decimal, vetoed: bool) -> bool:
    """Any veto fails; otherwise the score must reach the pass mark."""
    return not vetoed and score >= pass_mark
