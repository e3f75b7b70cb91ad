"""The acceptance time limit of one enterprise (提出验收时限, domain.md §8): the evaluation opinion sets it,
the organiser may move it later, always within the rules' bounds.

The bounds run from the evaluation's pass date: the earliest allowed date is the rule
"acceptance_limit_min" after it, the latest the rule "acceptance_apply_due" (which is also the default).
The date is stored on the case (AuditCase.acceptance_due_on), where the ACCEPTANCE_APPLY deadline reads
it instead of the rule (cases.deadlines), so a later edit of the rule keeps the date the opinion gave.
Moving it tells the enterprise and re-issues an issued opinion with the new date (the earlier rendering
stays, superseded: documents are versioned, never overwritten).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.deadlines import deadlines_recompute
from qingshen.cases.models import AuditCase, Document
from qingshen.cases.states import State
from qingshen.core.files.stored import removed_on_failure
from qingshen.procedures.rules import due_from, rules_by_code
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.reviews import notices, opinions, scoping
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import Review, ReviewKind
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record

LIMIT_MIN = "acceptance_limit_min"
LIMIT_MAX = "acceptance_apply_due"


@dataclass(frozen=True)
class Bounds:
    earliest: datetime.date
    latest: datetime.date  # also the default: the rule's period

    def problem(self, day: datetime.date) -> str:
        """Why `day` may not be the time limit; empty when it may."""
        if self.earliest <= day <= self.latest:
            return ""
        return _(
            "The acceptance time limit must be between %(min)s and %(max)s (the rules “%(low)s” and "
            "“%(high)s” from the evaluation's pass date); %(day)s is outside."
        ) % {
            "min": date_format(self.earliest, "Y-m-d"),
            "max": date_format(self.latest, "Y-m-d"),
            "low": LIMIT_MIN,
            "high": LIMIT_MAX,
            "day": date_format(day, "Y-m-d"),
        }


def bounds(passed_on: datetime.date, calendar: WorkCalendar | None = None) -> Bounds:
    """The allowed time limits for an evaluation passed on `passed_on`, refused while a rule is missing
    or the two are upside down (a row edited out of bounds in Administration)."""
    rules = rules_by_code((LIMIT_MIN, LIMIT_MAX))
    missing = [c for c in (LIMIT_MIN, LIMIT_MAX) if c not in rules]
    if missing:
        raise ReviewRefused(
            _("The rule “%(code)s” is missing: ask the system administrator to add it.")
            % {"code": ", ".join(missing)}
        )
    calendar = calendar or WorkCalendar()
    low = due_from(rule=rules[LIMIT_MIN], start=passed_on, calendar=calendar).date
    high = due_from(rule=rules[LIMIT_MAX], start=passed_on, calendar=calendar).date
    if low > high:
        raise ReviewRefused(
            _(
                "The acceptance time limit's bounds are broken: the shortest (“%(low)s”) ends after the "
                "longest (“%(high)s”). Ask the system administrator to correct the rules."
            )
            % {"low": LIMIT_MIN, "high": LIMIT_MAX}
        )
    return Bounds(earliest=low, latest=high)


def limit_chosen(passed_on: datetime.date, proposed: datetime.date | None) -> datetime.date:
    """The time limit for an evaluation passed on `passed_on`: `proposed` if within the bounds, the rule's
    date when none is proposed; refused outside the bounds."""
    b = bounds(passed_on)
    if proposed is None:
        return b.latest
    if problem := b.problem(proposed):
        raise ReviewRefused(problem)
    return proposed


def limit_store(*, case: AuditCase, due_on: datetime.date, actor, step: str, note: str = "") -> None:
    """Put the time limit on the case (locked by the caller) and recompute its deadlines."""
    before = case.acceptance_due_on
    case.acceptance_due_on = due_on
    deadlines_recompute(case)
    case.save(update_fields=["acceptance_due_on", "next_due_on", "next_due_kind"])
    event_record(
        action=f"review.acceptance_limit.{step}",
        actor=actor,
        obj=case,
        before={"acceptance_due_on": before},
        after={"acceptance_due_on": due_on},
        note=note,
    )


def settable(review: Review) -> bool:
    """A passed evaluation whose case has not applied for acceptance yet: its time limit may move."""
    return (
        review.kind == ReviewKind.EVALUATION
        and review.outcome == Review.Outcome.PASS
        and review.case.state == State.IMPLEMENTING
        and review.case.evaluation_passed_on is not None
    )


def _opinion_issued(case) -> bool:
    return Document.objects.filter(case=case, kind=Document.Kind.OPINION, superseded_by__isnull=True).exists()


def acceptance_limit_set(*, review_id: int, actor, due_on: datetime.date, reason: str = "") -> AuditCase:
    """The organiser moves the enterprise's acceptance time limit, within the bounds; the case's
    deadlines are recomputed under its row lock (review first, then case: the services' lock order).
    An issued evaluation opinion is rendered again so its 提出验收时限 says the new date, and the
    enterprise is told. All or nothing: a rendering that fails moves nothing (and leaves no file)."""
    with removed_on_failure() as stored, transaction.atomic():
        return _set(review_id=review_id, actor=actor, due_on=due_on, reason=reason, stored=stored)


def _set(*, review_id, actor, due_on, reason, stored) -> AuditCase:
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the bureau that organises the review sets the acceptance time limit."))
    case = (
        cases_scoping.cases_visible(actor).select_for_update(of=("self",)).filter(pk=review.case_id).first()
    )
    review.case = case
    if case is None or not settable(review):
        raise ReviewRefused(
            _("The acceptance time limit is set only after a passed evaluation and before the application.")
        )
    if problem := bounds(case.evaluation_passed_on).problem(due_on):
        raise ReviewRefused(problem)
    if case.acceptance_due_on == due_on:
        return case
    limit_store(case=case, due_on=due_on, actor=actor, step="set", note=reason)
    reissued = _opinion_issued(case)
    if reissued:
        try:
            stored.extend(d.file for d in opinions.opinion_store(review=review, actor=actor))
        except (OSError, ImportError) as exc:
            raise ReviewRefused(
                _(
                    "The opinion could not be rendered again, so the time limit was not moved. Ask the "
                    "system administrator to install the PDF libraries (scripts/ensure-system-packages.sh): %(e)s"
                )
                % {"e": exc}
            ) from exc
    notices.acceptance_limit_moved(review=review, actor=actor, reason=reason, reissued=reissued)
    return case
