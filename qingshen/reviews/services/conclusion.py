"""The experts' sheets, the panel's computed result and the chair's confirmation of it: nobody types
the result and nobody overrides a veto (the arithmetic is qingshen.reviews.scoring's)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import selectors as case_selectors
from qingshen.cases import services as case_services
from qingshen.cases.lifecycle import ReviewStep, review_action
from qingshen.cases.states import Level
from qingshen.core.files.stored import removed_on_failure
from qingshen.reviews import acceptance_limit, notices, rules, scoring
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import (
    AgencyRating,
    PanelSeat,
    Review,
    ReviewKind,
    RevisionRequest,
    RubricItem,
    Score,
    ScoreLine,
)
from qingshen.reviews.rows import _day, _locked_own_seat, _locked_review
from qingshen.reviews.services import cosign
from qingshen.reviews.wording import conclusion_note, fail_reasons
from qingshen.trail.services import event_record


@transaction.atomic
def score_submit(*, seat_id: int, actor, points: dict, vetoes=(), comment: str = "") -> Score:
    """One expert's sheet, submitted once. `points`: {item id: text}; `vetoes`: item ids of veto items raised."""
    seat = _locked_own_seat(seat_id=seat_id, actor=actor)
    review = seat.panel.review
    if seat.status != PanelSeat.Status.ACCEPTED:
        raise ReviewRefused(_("Accept the invitation before scoring."))
    if Score.objects.filter(seat=seat).exists():
        raise ReviewRefused(_("Your sheet was already submitted; it cannot be changed."))
    if review.outcome:
        raise ReviewRefused(_("This review is concluded."))
    if review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(_("This review is closed."))
    rubric = review.rubric
    items = list(rubric.items.all())
    vetoes = {int(v) for v in vetoes}
    veto_ids = {i.pk for i in items if i.kind == RubricItem.Kind.VETO}
    if vetoes - veto_ids:
        raise ReviewRefused(_("Unknown veto item."))
    values = {}
    for item in items:
        if item.kind == RubricItem.Kind.VETO:
            continue
        raw = points.get(item.pk, points.get(str(item.pk)))
        if item.kind == RubricItem.Kind.BONUS and (raw is None or str(raw).strip() == ""):
            raw = "0"
        values[item.pk] = scoring.points_parse(raw, label=item.text, max_points=item.max_points)
    lines = [scoring.Line(kind=i.kind, points=values[i.pk], weight=i.weight) for i in items if i.pk in values]
    score = Score.objects.create(
        seat=seat,
        total=scoring.sheet_total(lines, rubric.bonus_max),
        vetoed=bool(vetoes),
        comment=comment.strip(),
    )
    ScoreLine.objects.bulk_create(
        [ScoreLine(score=score, item_id=pk, points=v) for pk, v in values.items()]
        + [ScoreLine(score=score, item_id=pk, vetoed=True) for pk in sorted(vetoes)]
    )
    event_record(
        action="panel.score.submit",
        actor=actor,
        obj=review,
        after={"seat": seat.pk, "total": score.total, "veto": score.vetoed},
    )
    _result_compute(review)
    return score


def _panel_score(totals: list[Decimal]) -> Decimal:
    method = settings.QINGSHEN_PANEL_RESULT
    if method == scoring.TRIMMED_MEAN:
        return scoring.panel_result(totals, method=method, trimmed_min_sheets=rules.trimmed_mean_min_sheets())
    return scoring.panel_result(totals, method=method)


def unmet_targets(review: Review) -> list[dict]:
    """At acceptance, under a rubric that vetoes on them, the case's targets not shown to be met."""
    if review.kind != ReviewKind.ACCEPTANCE or not review.rubric.veto_unmet_targets:
        return []
    return case_selectors.targets_unmet(case=review.case)


def _result_compute(review: Review) -> None:
    """When every seat of the panel has a sheet, compute the result and propose the conclusion."""
    seats = [
        s for s in review.panel.seats.select_related("score").all() if s.status != PanelSeat.Status.DECLINED
    ]
    sheets = [s.score for s in seats if hasattr(s, "score")]
    if len(seats) != review.panel.size or len(sheets) != len(seats):
        return
    review.result_score = _panel_score([s.total for s in sheets])
    review.result_vetoed = any(s.vetoed for s in sheets) or bool(unmet_targets(review))
    passed = scoring.passes(
        score=review.result_score, pass_mark=review.rubric.pass_mark, vetoed=review.result_vetoed
    )
    review.proposed_outcome = Review.Outcome.PASS if passed else Review.Outcome.FAIL
    review.conclusion_reasons = fail_reasons(review)
    review.save(update_fields=["result_score", "result_vetoed", "proposed_outcome", "conclusion_reasons"])
    event_record(
        action="review.result",
        obj=review,
        after={
            "score": review.result_score,
            "veto": review.result_vetoed,
            "proposed": review.proposed_outcome,
        },
    )
    notices.result_ready(review=review)


def review_confirm(
    *,
    review_id: int,
    actor,
    level: str = "",
    requirements: str = "",
    agency_rating: int | None = None,
    agency_comment: str = "",
    effective_on: datetime.date | None = None,
    render_opinions: bool = True,
    acceptance_due_on: datetime.date | None = None,
) -> Review:
    """The chair confirms the computed conclusion (it cannot be changed: nobody overrides a veto); the
    case moves on, and the opinion is rendered as PDF and DOCX and stored with the case. A passed
    evaluation sets the enterprise's acceptance time limit: `acceptance_due_on` if given (within the
    rules' bounds, reviews.acceptance_limit), else the rule's date."""
    with removed_on_failure() as stored, transaction.atomic():
        review = _confirm(
            review_id=review_id,
            actor=actor,
            level=level,
            requirements=requirements,
            agency_rating=agency_rating,
            agency_comment=agency_comment,
            effective_on=effective_on,
            acceptance_due_on=acceptance_due_on,
        )
        if render_opinions:
            from qingshen.reviews.opinions import opinion_store

            try:
                stored.extend(d.file for d in opinion_store(review=review, actor=actor))
            except (OSError, ImportError) as exc:
                # A set-up without Pango or the CJK font: say so, confirm nothing (no half-written state).
                raise ReviewRefused(
                    _(
                        "The opinion could not be rendered, so nothing was confirmed. Ask the system "
                        "administrator to install the PDF libraries (scripts/ensure-system-packages.sh): %(e)s"
                    )
                    % {"e": exc}
                ) from exc
        notices.conclusion_confirmed(review=review, actor=actor, with_opinion=render_opinions)
        return review


def _rating_check(rating: int) -> None:
    low, high = rules.agency_rating_scale()
    if problem := rules.rating_scale_problem(low, high):
        raise ReviewRefused(problem)
    if not low <= rating <= high:
        raise ReviewRefused(_("The agency rating is from %(min)s to %(max)s.") % {"min": low, "max": high})


def _confirm(
    *, review_id, actor, level, requirements, agency_rating, agency_comment, effective_on, acceptance_due_on
) -> Review:
    review = _locked_review(review_id=review_id, actor=actor)
    chair = PanelSeat.objects.filter(
        panel__review=review, is_chair=True, status=PanelSeat.Status.ACCEPTED, expert__user=actor
    ).first()
    if chair is None:
        raise ReviewRefused(_("Only the chair of the panel confirms its conclusion."))
    if review.outcome:
        raise ReviewRefused(_("The conclusion was already confirmed: %(o)s.") % {"o": review.outcome_label})
    if not review.proposed_outcome:
        raise ReviewRefused(_("Not every expert has submitted a sheet yet."))
    if RevisionRequest.objects.filter(review=review, signed_off_at__isnull=True).exists():
        raise ReviewRefused(_("Sign off the requested revision (修改完善) before confirming the conclusion."))
    if cosign.cosign_pending(review):
        raise ReviewRefused(
            _(
                "The energy-saving authority co-signs this review first (the city's setting for mixed-ground cases)."
            )
        )
    passed = review.proposed_outcome == Review.Outcome.PASS
    if review.kind == ReviewKind.ACCEPTANCE and passed and level not in Level.values:
        raise ReviewRefused(_("Choose the level the enterprise reached (I, II or III)."))
    if agency_rating is not None:
        _rating_check(int(agency_rating))
    day = _day(effective_on)
    sets_limit = review.kind == ReviewKind.EVALUATION and passed
    if acceptance_due_on is not None and not sets_limit:
        raise ReviewRefused(_("An acceptance time limit is set only with a passed evaluation."))
    due_on = acceptance_limit.limit_chosen(day, acceptance_due_on) if sets_limit else None
    review.outcome = review.proposed_outcome
    review.level = level if (passed and review.kind == ReviewKind.ACCEPTANCE) else ""
    review.requirements = requirements.strip()
    review.confirmed_by, review.confirmed_at, review.concluded_on = actor, timezone.now(), day
    review.status = Review.Status.CONCLUDED
    review.save()
    case = case_services.case_transition(
        case_id=review.case_id,
        actor=actor,
        action=review_action(review.kind, ReviewStep.PASS if passed else ReviewStep.FAIL),
        reason=conclusion_note(review),
        level=review.level,
        conclusion=review,
        effective_on=day,
    )
    if due_on is not None:
        acceptance_limit.limit_store(case=case, due_on=due_on, actor=actor, step="propose")
        review.case.acceptance_due_on = due_on  # the opinion rendered next reads it
    if agency_rating is not None:
        delegation = review.case.delegations.filter(revoked_at__isnull=True).select_related("agency").first()
        if delegation is not None:
            AgencyRating.objects.create(
                review=review,
                agency=delegation.agency,
                rating=int(agency_rating),
                comment=agency_comment.strip(),
                given_by=actor,
            )
    event_record(
        action="review.confirm",
        actor=actor,
        obj=review,
        after={
            "outcome": review.outcome,
            "score": review.result_score,
            "veto": review.result_vetoed,
            "level": review.level,
            "acceptance_due_on": due_on,
        },
    )
    return review
