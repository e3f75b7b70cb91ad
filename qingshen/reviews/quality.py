"""Quality feedback upward (domain.md §8): the bureau rates each seated expert's work after a review,
the city and the province read every rating per agency and per expert with its yearly trend, and the
draw leaves out experts rated below the city's floor (the Rule rows of qingshen.reviews.quality_seed).

Who may rate or read lives here rather than in scoping.py, which another change is reshaping; both
build on it (the bureau side of a review is scoping.may_organise_review)."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.procedures.rules import rules_by_code
from qingshen.reviews import rules, scoping, selectors
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import AgencyRating, ExpertRating, PanelSeat, Review
from qingshen.reviews.quality_seed import RATING_FLOOR, RATING_FLOOR_MIN_COUNT
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record

_CENT = Decimal("0.01")


def seats_to_rate(review: Review) -> list[PanelSeat]:
    """The experts who sat on the panel (accepted seats), each with its rating when given."""
    return list(
        PanelSeat.objects.filter(panel__review=review, status=PanelSeat.Status.ACCEPTED)
        .select_related("expert", "rating")
        .order_by("position")
    )


@transaction.atomic
def expert_rate(*, review_id: int, seat_id: int, actor, rating, comment: str = "") -> ExpertRating:
    """Rate one seated expert's work on a concluded review: once, on the agency rating scale."""
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_rate_experts(actor, review):
        raise ReviewNotFound()
    if review.status != Review.Status.CONCLUDED:
        raise ReviewRefused(_("The experts are rated once the review is concluded."))
    seat = (
        PanelSeat.objects.select_for_update()
        .select_related("expert")
        .filter(pk=seat_id, panel__review=review, status=PanelSeat.Status.ACCEPTED)
        .first()
    )
    if seat is None:
        raise ReviewRefused(_("That expert did not sit on this review's panel."))
    try:
        value = int(str(rating).strip())
    except ValueError as exc:
        raise ReviewRefused(_("The expert rating must be a whole number.")) from exc
    low, high = rules.agency_rating_scale()
    if problem := rules.rating_scale_problem(low, high):
        raise ReviewRefused(problem)
    if not low <= value <= high:
        raise ReviewRefused(_("The expert rating is from %(min)s to %(max)s.") % {"min": low, "max": high})
    if ExpertRating.objects.filter(review=review, expert=seat.expert).exists():
        raise ReviewRefused(_("This expert's work on this review was already rated."))
    try:
        with transaction.atomic():
            given = ExpertRating.objects.create(
                review=review,
                seat=seat,
                expert=seat.expert,
                rating=value,
                comment=comment.strip(),
                given_by=actor,
            )
    except IntegrityError as exc:  # a concurrent rating of the same seat
        raise ReviewRefused(_("This expert's work on this review was already rated.")) from exc
    event_record(
        action="review.expert.rate",
        actor=actor,
        obj=review,
        after={"expert": seat.expert_id, "seat": seat.pk, "rating": value},
    )
    return given


# Reading the ratings ------------------------------------------------------------------------------


def _mean(total: int, n: int) -> Decimal:
    return (Decimal(total) / Decimal(n)).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass
class Rated:
    """One agency's or expert's ratings: how many, their mean, and the mean of each year."""

    pk: int
    name: str
    count: int = 0
    total: int = 0
    years: dict = field(default_factory=dict)  # year -> (count, mean)

    @property
    def mean(self) -> Decimal:
        return _mean(self.total, self.count)

    def trend(self, years: list) -> list:
        """The mean of each of `years` (None for a year without a rating), for a table's columns."""
        return [self.years.get(y, (0, None))[1] for y in years]


def _grouped(rows, key: str, name: str) -> dict[int, Rated]:
    out: dict[int, Rated] = {}
    for row in rows:
        item = out.setdefault(row[key], Rated(pk=row[key], name=row[name]))
        item.count += row["n"]
        item.total += row["total"]
        item.years[row["year"]] = (row["n"], _mean(row["total"], row["n"]))
    return out


def _by_year(qs, key: str, name: str):
    """One grouped query: count and sum per subject and year of conclusion (means computed exactly)."""
    return (
        qs.values(key, name, year=ExtractYear("review__concluded_on"))
        .annotate(n=Count("pk"), total=Sum("rating"))
        .order_by(name, key, "year")
    )


@dataclass
class RatingsSummary:
    agencies: list
    experts: list
    years: list


def ratings_summary(user) -> RatingsSummary:
    """Every rating of the reviews the user's scope holds, per agency and per expert, with the yearly
    means. Two grouped queries, however many ratings there are."""
    cases = cases_scoping.cases_visible(user).values("pk")
    agencies = _grouped(
        _by_year(AgencyRating.objects.filter(review__case__in=cases), "agency_id", "agency__name"),
        "agency_id",
        "agency__name",
    )
    experts = _grouped(
        _by_year(ExpertRating.objects.filter(review__case__in=cases), "expert_id", "expert__name"),
        "expert_id",
        "expert__name",
    )
    years = sorted({y for r in [*agencies.values(), *experts.values()] for y in r.years if y is not None})
    return RatingsSummary(agencies=list(agencies.values()), experts=list(experts.values()), years=years)


# The draw's rating floor ---------------------------------------------------------------------------


def rating_floor() -> tuple[int, int]:
    """(floor, ratings needed before it applies); a floor of 0 is off. Missing rows are off too."""
    found = rules_by_code([RATING_FLOOR, RATING_FLOOR_MIN_COUNT])
    floor = found[RATING_FLOOR].amount if RATING_FLOOR in found else 0
    needed = found[RATING_FLOOR_MIN_COUNT].amount if RATING_FLOOR_MIN_COUNT in found else 1
    return floor, max(needed, 1)


def rating_floor_apply(check) -> dict:
    """Move the eligible experts whose mean rating is below the floor (with enough ratings) from
    `check.eligible` into `check.exclusions`, with the reason; returns the rule as the draw record
    states it. Every rating counts, whichever bureau gave it: the floor is about the expert."""
    floor, needed = rating_floor()
    stated = {"floor": floor, "min_ratings": needed}
    if floor <= 0 or not check.eligible:
        return stated
    stats = {
        row["expert_id"]: row
        for row in ExpertRating.objects.filter(expert_id__in=[e.pk for e in check.eligible])
        .values("expert_id")
        .annotate(n=Count("pk"), total=Sum("rating"))
    }
    kept = []
    for expert in check.eligible:
        row = stats.get(expert.pk)
        if row and row["n"] >= needed and Decimal(row["total"]) < Decimal(floor) * row["n"]:
            detail = _("mean rating %(mean)s from %(n)s ratings, below %(floor)s") % {
                "mean": _mean(row["total"], row["n"]),
                "n": row["n"],
                "floor": floor,
            }
            check.exclusions.setdefault(expert.pk, []).append((selectors.Exclusion.RATING_FLOOR, detail))
        else:
            kept.append(expert)
    check.eligible = kept
    return stated
