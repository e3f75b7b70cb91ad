"""Writes for evaluation and acceptance. Each locks its rows, runs in one transaction and logs an Event.

Lock order everywhere: the review row, then the panel, then a seat; case_transition locks the case last.
"""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import services as case_services
from qingshen.cases.lifecycle import ReviewStep, review_action
from qingshen.cases.models import Document
from qingshen.cases.states import Level
from qingshen.core import text as characters
from qingshen.core.files.stored import removed_on_failure
from qingshen.registry import scoping as registry_scoping
from qingshen.reviews import notices, scoping, selectors
from qingshen.reviews.draw import ALGORITHM, draw_order, record_digest
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import (
    AgencyRating,
    ChecklistItem,
    ConflictDismissal,
    Expert,
    ExpertConflict,
    Panel,
    PanelSeat,
    Review,
    ReviewKind,
    Rubric,
    RubricItem,
    Score,
    ScoreLine,
)
from qingshen.reviews.rows import _day, _locked_review
from qingshen.reviews.wording import conclusion_note, fail_reasons
from qingshen.trail.services import event_record

OPEN_STATUSES = (Review.Status.APPLIED, Review.Status.ACCEPTED)

# The applications and their completeness check have their own module; callers keep this name.
from qingshen.reviews.applications import review_apply, review_check  # noqa: E402, F401

# --- Conflicts ------------------------------------------------------------------------------------------


@transaction.atomic
def conflict_dismiss(*, review_id: int, actor, expert_id: int, rule: str, reason: str) -> ConflictDismissal:
    """Set aside one computed exclusion as a false positive, with a reason (before the draw)."""
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the city bureau organises panels."))
    if Panel.objects.filter(review=review).exists():
        raise ReviewRefused(_("The panel is already drawn; exclusions can no longer change."))
    if rule not in selectors.Exclusion.DISMISSABLE:
        raise ReviewRefused(_("A declared or pinned conflict cannot be dismissed."))
    if not reason.strip():
        raise ReviewRefused(_("Give the reason why this exclusion is a false positive."))
    check = selectors.conflict_check(review=review)
    if rule not in [r for r, _d in check.exclusions.get(expert_id, [])]:
        raise ReviewRefused(_("This expert is not excluded by that rule."))
    dismissal = ConflictDismissal.objects.create(
        review=review, expert_id=expert_id, rule=rule, reason=reason.strip(), created_by=actor
    )
    event_record(
        action="review.conflict.dismiss",
        actor=actor,
        obj=review,
        after={"expert": expert_id, "rule": rule},
        note=reason,
    )
    return dismissal


@transaction.atomic
def conflict_pin(*, actor, expert_id: int, enterprise, reason: str) -> ExpertConflict:
    """The city pins a conflict between an expert and an enterprise."""
    if (
        not scoping.may_manage_experts(actor)
        or not registry_scoping.enterprises_visible(actor).filter(pk=enterprise.pk).exists()
    ):
        raise ReviewNotFound()
    if not reason.strip():
        raise ReviewRefused(_("Give the reason for the conflict."))
    conflict = ExpertConflict.objects.create(
        expert_id=expert_id,
        enterprise=enterprise,
        kind=ExpertConflict.Kind.PINNED,
        reason=reason.strip(),
        created_by=actor,
    )
    event_record(
        action="expert.conflict.pin",
        actor=actor,
        obj=conflict.expert,
        after={"enterprise": enterprise.pk},
        note=reason,
    )
    return conflict


# --- The draw -------------------------------------------------------------------------------------------


def _panel_size() -> int:
    size, smallest = settings.QINGSHEN_PANEL_SIZE, settings.QINGSHEN_PANEL_MIN_SIZE
    if size < smallest or size % 2 == 0:
        raise ReviewRefused(
            _("The panel size setting must be odd and at least %(min)s (now %(n)s).")
            % {"min": smallest, "n": size}
        )
    return size


def _too_few_message(check, size: int) -> str:
    counts = check.counts()
    detail = "；".join(f"{selectors.Exclusion.label(rule)} {n}" for rule, n in sorted(counts.items())) or _(
        "none"
    )
    return _(
        "Too few eligible experts: %(eligible)s eligible for a panel of %(size)s. %(matching)s active experts "
        "match the industry %(industry)s; excluded %(excluded)s (%(detail)s)."
    ) % {
        "eligible": len(check.eligible),
        "size": size,
        "matching": len(check.matching),
        "industry": check.industry_code or "—",
        "excluded": len(check.exclusions),
        "detail": detail,
    }


@transaction.atomic
def panel_draw(*, review_id: int, actor, today: datetime.date | None = None) -> Panel:
    """Draw the panel at random from the eligible experts and store the record that proves it."""
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the city bureau organises panels."))
    if review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(_("A panel is drawn only for an accepted application (受理)."))
    if Panel.objects.filter(review=review).exists():
        raise ReviewRefused(_("The panel of this review is already drawn; redraw a declined seat instead."))
    rubric = Rubric.objects.filter(kind=review.kind, is_active=True).order_by("-version").first()
    if rubric is None:
        raise ReviewRefused(_("No rubric is in use for this review kind."))
    size = _panel_size()
    today = today or timezone.localdate()
    check = selectors.conflict_check(review=review, today=today)
    if len(check.eligible) < size:
        raise ReviewRefused(_too_few_message(check, size))
    experts = {e.pk: e for e in check.matching}
    record = {
        "algorithm": ALGORITHM,
        "seed": secrets.token_hex(16),
        "size": size,
        "chair": settings.QINGSHEN_PANEL_CHAIR,
        "drawn_on": today.isoformat(),
        "review": review.pk,
        "enterprise": {"id": review.case.enterprise_id, "uscc": review.case.enterprise.uscc},
        "industry": check.industry_code,
        "rules": {
            "consultancy_years": check.consultancy_years,
            "specialty_match": "industry code prefix",
            "rubric": {"id": rubric.pk, "version": rubric.version, "pass_mark": str(rubric.pass_mark)},
        },
        "candidates": [
            {
                "expert": e.pk,
                "name": e.name,
                "last_drawn_on": e.last_drawn_on.isoformat() if e.last_drawn_on else None,
            }
            for e in check.eligible
        ],
        "exclusions": [
            {
                "expert": pk,
                "name": experts[pk].name,
                "reasons": [{"rule": r, "detail": d} for r, d in reasons],
            }
            for pk, reasons in sorted(check.exclusions.items())
        ],
        "dismissed": [
            {"expert": pk, "rule": r, "reason": reason}
            for pk, items in sorted(check.dismissed.items())
            for r, reason in items
        ],
    }
    order = draw_order(record)
    panel = Panel.objects.create(
        review=review,
        algorithm=ALGORITHM,
        seed=record["seed"],
        size=size,
        record=record,
        record_sha256=record_digest(record),
        drawn_by=actor,
    )
    seats = [
        PanelSeat.objects.create(panel=panel, expert_id=expert_id, position=position, is_chair=position == 1)
        for position, expert_id in enumerate(order[:size], start=1)
    ]
    Expert.objects.filter(pk__in=order[:size]).update(last_drawn_on=today)
    review.rubric = rubric
    review.save(update_fields=["rubric"])
    event_record(
        action="panel.draw",
        actor=actor,
        obj=panel,
        after={"seed": record["seed"], "digest": panel.record_sha256, "seats": order[:size]},
    )
    for seat in seats:
        notices.seat_invited(seat=seat, actor=actor)
    return panel


def panel_verify(*, panel: Panel, actor=None) -> dict:
    """Recompute the draw from the stored record and compare with the seats taken."""
    actual = list(panel.seats.order_by("position").values_list("expert_id", flat=True))
    digest_ok = record_digest(panel.record) == panel.record_sha256
    try:
        expected = draw_order(panel.record)[: len(actual)]
    except (KeyError, TypeError, ValueError):
        expected = []
    seed_ok = panel.record.get("seed") == panel.seed
    result = {
        "matches": digest_ok and seed_ok and expected == actual,
        "digest_ok": digest_ok,
        "seed_ok": seed_ok,
        "expected": expected,
        "actual": actual,
    }
    event_record(action="panel.verify", actor=actor, obj=panel, after=result)
    return result


@transaction.atomic
def seat_redraw(*, seat_id: int, actor, today: datetime.date | None = None) -> PanelSeat:
    """Refill a declined seat with the next candidate of the same record (recorded, verifiable)."""
    seat = PanelSeat.objects.select_related("panel__review").filter(pk=seat_id).first()
    if seat is None:
        raise ReviewNotFound()
    _locked_review(review_id=seat.panel.review_id, actor=actor)
    if not scoping.may_organise_review(actor, seat.panel.review):
        raise ReviewRefused(_("Only the city bureau organises panels."))
    panel = Panel.objects.select_for_update().get(pk=seat.panel_id)
    seat = PanelSeat.objects.select_for_update().get(pk=seat_id)
    if seat.status != PanelSeat.Status.DECLINED:
        raise ReviewRefused(_("Only a declined seat is redrawn."))
    if PanelSeat.objects.filter(replaces=seat).exists():
        raise ReviewRefused(_("This seat was already redrawn."))
    taken = panel.seats.count()
    order = draw_order(panel.record)
    if taken >= len(order):
        raise ReviewRefused(
            _("All %(n)s candidates of the draw record have been invited; no one is left to redraw.")
            % {"n": len(order)}
        )
    new = PanelSeat.objects.create(
        panel=panel, expert_id=order[taken], position=taken + 1, is_chair=seat.is_chair, replaces=seat
    )
    if seat.is_chair:
        PanelSeat.objects.filter(pk=seat.pk).update(is_chair=False)
    Expert.objects.filter(pk=new.expert_id).update(last_drawn_on=today or timezone.localdate())
    event_record(
        action="panel.redraw",
        actor=actor,
        obj=panel,
        after={"replaces": seat.expert_id, "expert": new.expert_id, "position": new.position},
    )
    notices.seat_invited(seat=new, actor=actor)
    return new


# --- Seats: accept or decline ---------------------------------------------------------------------------


def _own_seat_locked(*, seat_id: int, actor) -> PanelSeat:
    seat = scoping.seats_visible(actor).select_related("panel__review").filter(pk=seat_id).first()
    if seat is None:
        raise ReviewNotFound()
    Review.objects.select_for_update().get(pk=seat.panel.review_id)
    return (
        PanelSeat.objects.select_for_update().select_related("panel__review__case", "expert").get(pk=seat_id)
    )


@transaction.atomic
def seat_respond(
    *, seat_id: int, actor, accept: bool, no_conflict: bool = False, conflict: str = "", reason: str = ""
) -> PanelSeat:
    """The drawn expert accepts (declaring no conflict) or declines (a declared conflict is kept)."""
    seat = _own_seat_locked(seat_id=seat_id, actor=actor)
    if seat.status != PanelSeat.Status.INVITED:
        raise ReviewRefused(
            _("You already answered this invitation: “%(s)s”.") % {"s": seat.get_status_display()}
        )
    if seat.panel.review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(_("This review is closed."))
    conflict, reason = conflict.strip(), reason.strip()
    if accept:
        if not no_conflict or conflict:
            raise ReviewRefused(
                _("To accept, declare that you have no conflict of interest with the enterprise.")
            )
        seat.status, seat.no_conflict_declared = PanelSeat.Status.ACCEPTED, True
    else:
        if not (reason or conflict):
            raise ReviewRefused(_("Give a reason for declining, or declare your conflict."))
        seat.status, seat.decline_reason = (
            PanelSeat.Status.DECLINED,
            "\n".join(x for x in (conflict, reason) if x),
        )
        if conflict:
            ExpertConflict.objects.create(
                expert=seat.expert,
                enterprise=seat.panel.review.case.enterprise,
                kind=ExpertConflict.Kind.DECLARED,
                reason=conflict,
                created_by=actor,
            )
    seat.responded_at = timezone.now()
    seat.save()
    event_record(
        action="panel.seat.accept" if accept else "panel.seat.decline",
        actor=actor,
        obj=seat.panel,
        after={"seat": seat.pk, "expert": seat.expert_id, "conflict": bool(conflict)},
        note=seat.decline_reason,
    )
    return seat


# --- Scoring and the conclusion -------------------------------------------------------------------------


def _parse_points(raw, item: RubricItem) -> Decimal:
    text = str(raw if raw is not None else "").strip()
    if text == "":
        raise ReviewRefused(_("Give a score for “%(item)s”.") % {"item": item.text})
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ReviewRefused(
            _("“%(value)s” is not a number (“%(item)s”).") % {"value": text[:20], "item": item.text}
        ) from exc
    if not value.is_finite() or value < 0 or value > item.max_points:
        raise ReviewRefused(
            _("The score for “%(item)s” must be between 0 and %(max)s.")
            % {"item": item.text, "max": item.max_points}
        )
    return value


def sheet_total(rubric: Rubric, points: dict[int, Decimal]) -> Decimal:
    """Σ points × weight over the scored items, plus bonus points up to the rubric's bonus maximum."""
    items = list(rubric.items.all())
    scored = sum(
        (points.get(i.pk, Decimal(0)) * i.weight for i in items if i.kind == RubricItem.Kind.SCORED),
        Decimal(0),
    )
    bonus = sum(
        (points.get(i.pk, Decimal(0)) * i.weight for i in items if i.kind == RubricItem.Kind.BONUS),
        Decimal(0),
    )
    return (scored + min(bonus, rubric.bonus_max)).quantize(Decimal("0.01"))


def panel_result(totals: list[Decimal], method: str | None = None) -> Decimal:
    """Mean of the experts' totals, or the trimmed mean (without the highest and the lowest) by setting."""
    method = method or settings.QINGSHEN_PANEL_RESULT
    values = sorted(totals)
    # Dropping two values needs a third to remain, whatever the setting says.
    if method == "trimmed_mean" and len(values) >= max(settings.QINGSHEN_TRIMMED_MEAN_MIN_SHEETS, 3):
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


@transaction.atomic
def score_submit(*, seat_id: int, actor, points: dict, vetoes=(), comment: str = "") -> Score:
    """One expert's sheet, submitted once. `points`: {item id: text}; `vetoes`: item ids of veto items raised."""
    seat = _own_seat_locked(seat_id=seat_id, actor=actor)
    review = seat.panel.review
    if seat.status != PanelSeat.Status.ACCEPTED:
        raise ReviewRefused(_("Accept the invitation before scoring."))
    if Score.objects.filter(seat=seat).exists():
        raise ReviewRefused(_("Your sheet was already submitted; it cannot be changed."))
    if review.outcome:
        raise ReviewRefused(_("This review is concluded."))
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
        values[item.pk] = _parse_points(raw, item)
    score = Score.objects.create(
        seat=seat, total=sheet_total(rubric, values), vetoed=bool(vetoes), comment=comment.strip()
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


def _result_compute(review: Review) -> None:
    """When every seat of the panel has a sheet, compute the result and propose the conclusion."""
    seats = [
        s for s in review.panel.seats.select_related("score").all() if s.status != PanelSeat.Status.DECLINED
    ]
    sheets = [s.score for s in seats if hasattr(s, "score")]
    if len(seats) != review.panel.size or len(sheets) != len(seats):
        return
    rubric = review.rubric
    review.result_score = panel_result([s.total for s in sheets])
    review.result_vetoed = any(s.vetoed for s in sheets)
    passed = not review.result_vetoed and review.result_score >= rubric.pass_mark
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
) -> Review:
    """The chair confirms the computed conclusion (it cannot be changed: nobody overrides a veto); the
    case moves on, and the opinion is rendered as PDF and DOCX and stored with the case."""
    with removed_on_failure() as stored, transaction.atomic():
        review = _confirm(
            review_id=review_id,
            actor=actor,
            level=level,
            requirements=requirements,
            agency_rating=agency_rating,
            agency_comment=agency_comment,
            effective_on=effective_on,
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


def _confirm(*, review_id, actor, level, requirements, agency_rating, agency_comment, effective_on) -> Review:
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
    passed = review.proposed_outcome == Review.Outcome.PASS
    if review.kind == ReviewKind.ACCEPTANCE and passed and level not in Level.values:
        raise ReviewRefused(_("Choose the level the enterprise reached (I, II or III)."))
    low, high = settings.QINGSHEN_AGENCY_RATING_MIN, settings.QINGSHEN_AGENCY_RATING_MAX
    if agency_rating is not None and not low <= int(agency_rating) <= high:
        raise ReviewRefused(_("The agency rating is from %(min)s to %(max)s.") % {"min": low, "max": high})
    day = _day(effective_on)
    review.outcome = review.proposed_outcome
    review.level = level if (passed and review.kind == ReviewKind.ACCEPTANCE) else ""
    review.requirements = requirements.strip()
    review.confirmed_by, review.confirmed_at, review.concluded_on = actor, timezone.now(), day
    review.status = Review.Status.CONCLUDED
    review.save()
    case_services.case_transition(
        case_id=review.case_id,
        actor=actor,
        action=review_action(review.kind, ReviewStep.PASS if passed else ReviewStep.FAIL),
        reason=conclusion_note(review),
        level=review.level,
        conclusion=review,
        effective_on=day,
    )
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
        },
    )
    return review


# --- The city's configuration: checklists and rubric versions -------------------------------------------


@transaction.atomic
def checklist_item_add(
    *, actor, kind: str, name: str, required: bool = True, source: str = "", document_kind: str = "other"
) -> ChecklistItem:
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Unknown review kind."))
    if document_kind not in Document.Kind.values:
        raise ReviewRefused(_("Unknown document type."))
    name = name.strip()
    if not name:
        raise ReviewRefused(_("Name the material."))
    existing = ChecklistItem.objects.filter(kind=kind)
    code = f"item-{existing.count() + 1}"
    while existing.filter(code=code).exists():
        code += "x"
    last = existing.order_by("-order").values_list("order", flat=True).first() or 0
    item = ChecklistItem.objects.create(
        kind=kind,
        code=code,
        name=name[:200],
        required=required,
        source=source.strip(),
        order=last + 1,
        document_kind=document_kind,
    )
    event_record(
        action="review.checklist.add",
        actor=actor,
        obj=item,
        after={"kind": kind, "name": item.name, "document_kind": document_kind},
    )
    return item


@transaction.atomic
def checklist_item_update(*, actor, item_id: int, required: bool, is_active: bool) -> ChecklistItem:
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    item = ChecklistItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise ReviewNotFound()
    before = {"required": item.required, "is_active": item.is_active}
    item.required, item.is_active = required, is_active
    item.save(update_fields=["required", "is_active"])
    event_record(
        action="review.checklist.update",
        actor=actor,
        obj=item,
        before=before,
        after={"required": required, "is_active": is_active},
    )
    return item


RUBRIC_KINDS = {
    "veto": RubricItem.Kind.VETO,
    "否决": RubricItem.Kind.VETO,
    "scored": RubricItem.Kind.SCORED,
    "评分": RubricItem.Kind.SCORED,
    "bonus": RubricItem.Kind.BONUS,
    "加分": RubricItem.Kind.BONUS,
}


def rubric_lines(rubric: Rubric) -> str:
    """The rubric's items as editable text: kind | category | item | max points | weight."""
    names = {RubricItem.Kind.VETO: "否决", RubricItem.Kind.SCORED: "评分", RubricItem.Kind.BONUS: "加分"}
    return "\n".join(
        f"{names[i.kind]} | {i.category} | {i.text} | {i.max_points.normalize():f} | {i.weight.normalize():f}"
        for i in rubric.items.all()
    )


def _parse_rubric_lines(text: str) -> tuple[list[dict], list[str]]:
    items, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5:
            errors.append(_("Line %(n)s: five fields separated by | are needed.") % {"n": n})
            continue
        kind, category, label, points, weight = parts
        if kind not in RUBRIC_KINDS:
            errors.append(_("Line %(n)s: the kind is 评分, 否决 or 加分.") % {"n": n})
            continue
        try:
            points_d, weight_d = Decimal(points or "0"), Decimal(weight or "1")
        except InvalidOperation:
            errors.append(_("Line %(n)s: points and weight are numbers.") % {"n": n})
            continue
        if not points_d.is_finite() or not weight_d.is_finite() or points_d < 0 or weight_d <= 0:
            errors.append(_("Line %(n)s: points are 0 or more and the weight above 0.") % {"n": n})
            continue
        if not (_fits(points_d, RubricItem, "max_points") and _fits(weight_d, RubricItem, "weight")):
            errors.append(
                _("Line %(n)s: points below %(p)s and a weight below %(w)s.")
                % {"n": n, "p": _limit(RubricItem, "max_points"), "w": _limit(RubricItem, "weight")}
            )
            continue
        if not label:
            errors.append(_("Line %(n)s: the item text is empty.") % {"n": n})
            continue
        items.append(
            {
                "kind": RUBRIC_KINDS[kind],
                "category": category[:60],
                "text": label[:300],
                "max_points": points_d,
                "weight": weight_d,
            }
        )
    if not any(i["kind"] == RubricItem.Kind.SCORED for i in items):
        errors.append(_("A rubric needs at least one scored item."))
    return items, errors


def _limit(model, field_name: str) -> int:
    field = model._meta.get_field(field_name)
    return 10 ** (field.max_digits - field.decimal_places)


def _fits(value: Decimal, model, field_name: str) -> bool:
    """Whether a number fits its DecimalField (PostgreSQL refuses an overflow with an error)."""
    return value < _limit(model, field_name)


@transaction.atomic
def rubric_version_create(
    *, actor, kind: str, name: str, lines: str, pass_mark, pass_mark_source: str, bonus_max
) -> Rubric:
    """A new version of the kind's rubric, in use for panels drawn from now on; drawn panels keep theirs."""
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Unknown review kind."))
    items, errors = _parse_rubric_lines(lines)
    try:
        pass_mark, bonus_max = Decimal(str(pass_mark)), Decimal(str(bonus_max or 0))
    except InvalidOperation:
        errors.append(_("The pass mark and the bonus maximum are numbers."))
    else:
        if not pass_mark.is_finite() or pass_mark < 0 or not bonus_max.is_finite() or bonus_max < 0:
            errors.append(_("The pass mark and the bonus maximum are 0 or more."))
        elif not (_fits(pass_mark, Rubric, "pass_mark") and _fits(bonus_max, Rubric, "bonus_max")):
            errors.append(
                _("The pass mark and the bonus maximum are below %(p)s.") % {"p": _limit(Rubric, "pass_mark")}
            )
    if not pass_mark_source.strip():
        errors.append(_("Give the source of the pass mark."))
    if errors:
        raise ReviewRefused(" ".join(errors))
    latest = Rubric.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    Rubric.objects.filter(kind=kind, is_active=True).update(is_active=False)
    rubric = Rubric.objects.create(
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        name=(name.strip() or (latest.name if latest else ""))[:200],
        pass_mark=pass_mark,
        pass_mark_source=pass_mark_source.strip(),
        bonus_max=bonus_max,
    )
    RubricItem.objects.bulk_create(
        RubricItem(rubric=rubric, order=n, **i) for n, i in enumerate(items, start=1)
    )
    event_record(
        action="review.rubric.version",
        actor=actor,
        obj=rubric,
        after={"kind": kind, "version": rubric.version, "pass_mark": pass_mark, "items": len(items)},
    )
    return rubric


@transaction.atomic
def expert_set_active(*, actor, expert_id: int, is_active: bool) -> Expert:
    if not scoping.may_manage_experts(actor):
        raise ReviewNotFound()
    expert = Expert.objects.select_for_update().filter(pk=expert_id).first()
    if expert is None:
        raise ReviewNotFound()
    before = expert.is_active
    expert.is_active = is_active
    expert.save(update_fields=["is_active"])
    event_record(
        action="expert.active",
        actor=actor,
        obj=expert,
        before={"is_active": before},
        after={"is_active": is_active},
    )
    return expert


@transaction.atomic
def agency_staff_add(*, actor, agency_id: int, name: str, role: str = "", certificate_no: str = ""):
    """An agency records its staff (or the city does); certificates feed the conflict check."""
    from qingshen.registry.models import AgencyStaff

    if not registry_scoping.may_edit_agency(actor, agency_id):
        raise ReviewNotFound()
    if not name.strip():
        raise ReviewRefused(_("Give the name."))
    if problem := characters.name_problem(name, role, certificate_no):
        raise ReviewRefused(problem)
    staff = AgencyStaff.objects.create(
        agency_id=agency_id,
        name=name.strip()[:50],
        role=role.strip()[:60],
        certificate_no=certificate_no.strip()[:60],
    )
    event_record(
        action="agency.staff.add",
        actor=actor,
        obj=staff,
        after={"agency": agency_id, "certificate": staff.certificate_no},
    )
    return staff
