"""The panel's rules as the city set them (Rule rows seeded from qingshen.reviews.seed.PANEL_RULES).

The rows are edited in Administration like the time limits, which knows nothing of their bounds: so
each step that uses them checks them first, and a row edited out of bounds (an even panel, a floor
above the size, a scale upside down) stops that step with a refusal naming the rule to correct,
never a wrong panel or rating. The `*_problem` functions hold those checks for an edit form too.
"""

from django.utils.translation import gettext as _

from qingshen.procedures.rules import RuleMissing, rules_by_code
from qingshen.reviews.errors import ReviewRefused

PANEL_SIZE = "review_panel_size"
PANEL_MIN_SIZE = "review_panel_min_size"
TRIMMED_MEAN_MIN_SHEETS = "review_trimmed_mean_min_sheets"
AGENCY_RATING_MIN = "review_agency_rating_min"
AGENCY_RATING_MAX = "review_agency_rating_max"


def _amounts(*codes: str) -> list[int]:
    rules = rules_by_code(codes)
    missing = [c for c in codes if c not in rules]
    if missing:
        raise RuleMissing(", ".join(missing))
    return [rules[c].amount for c in codes]


def panel_size_problem(size: int, smallest: int) -> str:
    """Why a panel of `size` may not be drawn when the smallest allowed is `smallest`; empty when it may."""
    if size < smallest or size % 2 == 0:
        return _(
            "The panel size must be odd and at least %(min)s (now %(n)s): ask the system administrator "
            "to correct the rule “%(code)s”."
        ) % {"min": smallest, "n": size, "code": PANEL_SIZE}
    return ""


def panel_size() -> int:
    """The number of experts a draw seats, refused while the rule is out of bounds."""
    size, smallest = _amounts(PANEL_SIZE, PANEL_MIN_SIZE)
    if problem := panel_size_problem(size, smallest):
        raise ReviewRefused(problem)
    return size


def trimmed_mean_min_sheets() -> int:
    """How many sheets the trimmed mean needs before it drops the highest and the lowest total."""
    return _amounts(TRIMMED_MEAN_MIN_SHEETS)[0]


def agency_rating_scale() -> tuple[int, int]:
    """The lowest and the highest rating of an agency, as the rules say (checked by rating_scale_problem)."""
    low, high = _amounts(AGENCY_RATING_MIN, AGENCY_RATING_MAX)
    return low, high


def rating_scale_problem(low: int, high: int) -> str:
    if low > high:
        return _(
            "The agency rating scale is broken: its lowest rating %(min)s is above its highest %(max)s. "
            "Ask the system administrator to correct the rules “%(low)s” and “%(high)s”."
        ) % {"min": low, "max": high, "low": AGENCY_RATING_MIN, "high": AGENCY_RATING_MAX}
    return ""
