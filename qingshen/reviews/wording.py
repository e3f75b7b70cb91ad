"""What the official texts say about a review's outcome: one place, so that a pass never reads as a fail.

Used by the case history (the note of the pass/fail step), the opinions and the notices to the
enterprise. Each function reads the confirmed (or proposed) outcome and words that outcome only.
"""

from django.utils.translation import gettext as _

from qingshen.cases import selectors as case_selectors
from qingshen.cases.states import level_label
from qingshen.reviews.models import Review, ReviewKind, outcome_label


def fail_reasons(review: Review) -> str:
    """Why the panel's result fails, in the current language, from the sheets (the veto items raised,
    a score below the pass mark); empty for a pass."""
    from qingshen.reviews.models import RubricItem, ScoreLine

    reasons = []
    if review.result_vetoed:
        vetoed = RubricItem.objects.filter(
            pk__in=ScoreLine.objects.filter(score__seat__panel__review=review, vetoed=True).values("item_id")
        )
        reasons += [_("Veto item: %(item)s") % {"item": i.text} for i in vetoed.order_by("order")]
        reasons += _unmet_target_reasons(review)
    if review.result_score is not None and review.rubric_id and review.result_score < review.rubric.pass_mark:
        reasons.append(
            _("Panel score %(score)s is below the pass mark %(mark)s.")
            % {"score": review.result_score, "mark": review.rubric.pass_mark}
        )
    return "\n".join(reasons)


def _unmet_target_reasons(review: Review) -> list[str]:
    if review.kind != ReviewKind.ACCEPTANCE or not review.rubric_id or not review.rubric.veto_unmet_targets:
        return []
    names = "、".join(r["target"].name for r in case_selectors.targets_unmet(case=review.case))
    return [_("Veto: cleaner production targets not met: %(names)s") % {"names": names}] if names else []


def conclusion_note(review: Review) -> str:
    """Why the panel concluded as it did: the score against the pass mark for a pass, the reasons
    (veto items, a score below the mark) for a fail."""
    outcome = review.outcome or review.proposed_outcome
    label = outcome_label(review.kind, outcome)
    mark = review.rubric.pass_mark if review.rubric_id else None
    if outcome == Review.Outcome.PASS:
        text = _(
            "%(outcome)s: the panel score %(score)s reaches the pass mark %(mark)s and no veto item was raised."
        ) % {"outcome": label, "score": review.result_score, "mark": mark}
        if review.kind == ReviewKind.ACCEPTANCE and review.level:
            text += " " + _("Level reached: %(level)s.") % {"level": level_label(review.level)}
        return text
    reasons = fail_reasons(review) or review.conclusion_reasons.strip() or _("Concluded by the panel.")
    return f"{label}: {reasons}"


def requirements_heading(review: Review) -> str:
    """A failed review's requirements are what to correct; a passed one's are the panel's conditions."""
    if (review.outcome or review.proposed_outcome) == Review.Outcome.PASS:
        return _("The panel's requirements")
    return _("What to correct")
