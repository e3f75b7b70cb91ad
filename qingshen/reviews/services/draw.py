"""The panel's draw (随机抽取) and its proof: the draw from the eligible experts, its verification from the
stored record, and the redraw of a declined seat from the same record (qingshen.reviews.draw computes
the order)."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.reviews import notices, quality, rules, scoping, selectors
from qingshen.reviews.draw import ALGORITHM, draw_order, record_digest
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import Expert, Panel, PanelSeat, Review, Rubric
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record


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


def _record(*, review: Review, check, rubric: Rubric, size: int, today: datetime.date) -> dict:
    """What the draw is computed from, stored with the panel so that anyone may recompute it."""
    experts = {e.pk: e for e in check.matching}
    return {
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


@transaction.atomic
def panel_draw(*, review_id: int, actor, today: datetime.date | None = None) -> Panel:
    """Draw the panel at random from the eligible experts and store the record that proves it."""
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the bureau that organises this case’s reviews draws its panel."))
    if review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(_("A panel is drawn only for an accepted application (受理)."))
    if Panel.objects.filter(review=review).exists():
        raise ReviewRefused(_("The panel of this review is already drawn; redraw a declined seat instead."))
    rubric = Rubric.objects.filter(kind=review.kind, is_active=True).order_by("-version").first()
    if rubric is None:
        raise ReviewRefused(_("No rubric is in use for this review kind."))
    size = rules.panel_size()
    today = today or timezone.localdate()
    check = selectors.conflict_check(review=review, today=today)
    rating_floor = quality.rating_floor_apply(check)  # experts rated below the city's floor sit out
    if len(check.eligible) < size:
        raise ReviewRefused(_too_few_message(check, size))
    record = _record(review=review, check=check, rubric=rubric, size=size, today=today)
    record["rules"]["rating_floor"] = rating_floor
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
        raise ReviewRefused(_("Only the bureau that organises this case’s reviews draws its panel."))
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
