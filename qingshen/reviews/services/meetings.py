"""Review meetings (集中评估/验收): gather accepted applications on one date and place, set each one's
site-visit and meeting dates, and draw the panel — one for all of them (shared) or one each.

A shared draw is one draw: its candidates are the experts eligible for every application (the
conflict check of each enterprise still holds, so an expert excluded for one case sits out the whole
meeting), and the one record, seed and order seat the same experts on each application's panel. So
qingshen.reviews.services.draw.panel_verify recomputes any of those panels from its record, and a
declined seat is redrawn from it as before. Lock order: the meeting, then its reviews by id.
"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.reviews import notices, quality, rules, scoping, selectors
from qingshen.reviews.draw import ALGORITHM, draw_order, record_digest
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import (
    Expert,
    MeetingCase,
    Panel,
    PanelSeat,
    Review,
    ReviewKind,
    ReviewMeeting,
    Rubric,
)
from qingshen.reviews.services import draw, seats
from qingshen.trail.services import event_record

NOT_MATCHING = selectors.Exclusion.OTHER_INDUSTRY


def _locked_meeting(*, meeting_id: int, actor) -> ReviewMeeting:
    meeting = (
        scoping.meetings_visible(actor)
        .select_for_update(of=("self",))
        .select_related("organiser")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise ReviewNotFound()
    return meeting


def _organised(meeting: ReviewMeeting, actor) -> None:
    if not scoping.may_organise_meeting(actor, meeting):
        raise ReviewRefused(_("Only the bureau that organises this meeting may do this."))


@transaction.atomic
def meeting_create(
    *, actor, kind: str, held_on: datetime.date, place: str, panel_mode: str, review_ids
) -> ReviewMeeting:
    """A meeting of the actor's bureau gathering accepted applications of one kind it organises."""
    if not scoping.may_create_meeting(actor):
        raise ReviewRefused(_("Only a city or district bureau organises review meetings."))
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Choose evaluation or acceptance."))
    if panel_mode not in ReviewMeeting.PanelMode.values:
        raise ReviewRefused(_("Choose one panel for every application or one per application."))
    place = (place or "").strip()
    if not place or held_on is None:
        raise ReviewRefused(_("Give the meeting's date and place."))
    ids = sorted({int(i) for i in review_ids})
    if not ids:
        raise ReviewRefused(_("Choose at least one application for the meeting."))
    reviews = list(
        scoping.reviews_visible(actor)
        .select_for_update(of=("self",))
        .select_related("case__programme__city", "case__jurisdiction")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(reviews) != len(ids):
        raise ReviewNotFound()
    for review in reviews:
        _joinable(review, actor=actor, kind=kind, shared=panel_mode == ReviewMeeting.PanelMode.SHARED)
    meeting = ReviewMeeting.objects.create(
        kind=kind,
        held_on=held_on,
        place=place[:200],
        organiser_id=actor.jurisdiction_id,
        panel_mode=panel_mode,
        created_by=actor,
    )
    MeetingCase.objects.bulk_create(
        [MeetingCase(meeting=meeting, review=r, meeting_on=held_on) for r in reviews]
    )
    event_record(
        action="review.meeting.create",
        actor=actor,
        obj=meeting,
        after={"kind": kind, "held_on": held_on, "place": meeting.place, "mode": panel_mode, "reviews": ids},
    )
    return meeting


def _joinable(review: Review, *, actor, kind: str, shared: bool) -> None:
    name = review.case.enterprise.name
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Your bureau does not organise the review of %(e)s.") % {"e": name})
    if review.kind != kind:
        raise ReviewRefused(_("The application of %(e)s is of another kind.") % {"e": name})
    if review.status != Review.Status.ACCEPTED:
        raise ReviewRefused(_("The application of %(e)s is not an accepted one (受理).") % {"e": name})
    if MeetingCase.objects.filter(review=review).exists():
        raise ReviewRefused(_("The application of %(e)s is already in a meeting.") % {"e": name})
    if shared and Panel.objects.filter(review=review).exists():
        raise ReviewRefused(
            _("The panel of %(e)s is already drawn: it cannot join a meeting with one shared panel.")
            % {"e": name}
        )


@transaction.atomic
def meeting_case_dates(
    *, meeting_id: int, review_id: int, actor, site_visit_on=None, meeting_on=None
) -> MeetingCase:
    """The site-visit and meeting dates of one application of the meeting."""
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    row = MeetingCase.objects.select_for_update().filter(meeting=meeting, review_id=review_id).first()
    if row is None:
        raise ReviewNotFound()
    if meeting.status != ReviewMeeting.Status.OPEN:
        raise ReviewRefused(_("The meeting's results are published; its dates stay as they were."))
    if site_visit_on and meeting_on and site_visit_on > meeting_on:
        raise ReviewRefused(_("The site visit comes before the meeting."))
    before = {"site_visit_on": row.site_visit_on, "meeting_on": row.meeting_on}
    row.site_visit_on, row.meeting_on = site_visit_on, meeting_on
    row.save(update_fields=["site_visit_on", "meeting_on"])
    event_record(
        action="review.meeting.dates",
        actor=actor,
        obj=meeting,
        before=before,
        after={"review": review_id, "site_visit_on": site_visit_on, "meeting_on": meeting_on},
    )
    return row


@transaction.atomic
def meeting_draw(*, meeting_id: int, actor, today: datetime.date | None = None) -> list[Panel]:
    """Draw the meeting's panel(s): one shared draw, or each application's own (services.draw)."""
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    if meeting.status != ReviewMeeting.Status.OPEN:
        raise ReviewRefused(_("The meeting's results are published."))
    review_ids = list(meeting.cases.order_by("review_id").values_list("review_id", flat=True))
    if meeting.panel_mode == ReviewMeeting.PanelMode.PER_CASE:
        undrawn = [pk for pk in review_ids if not Panel.objects.filter(review_id=pk).exists()]
        if not undrawn:
            raise ReviewRefused(_("Every application of the meeting has its panel."))
        return [draw.panel_draw(review_id=pk, actor=actor, today=today) for pk in undrawn]
    return _shared_draw(meeting=meeting, review_ids=review_ids, actor=actor, today=today)


def _combined_check(checks: dict) -> selectors.ConflictCheck:
    """One check for the whole meeting: eligible for every application, each reason kept with its enterprise."""
    experts = {e.pk: e for c in checks.values() for e in c.matching}
    eligible_ids = set.intersection(*({e.pk for e in c.eligible} for c in checks.values()))
    combined = selectors.ConflictCheck(
        industry_code=",".join(sorted({c.industry_code or "—" for c in checks.values()})),
        matching=sorted(experts.values(), key=lambda e: e.pk),
        eligible=[experts[pk] for pk in sorted(eligible_ids)],
        consultancy_years=next(iter(checks.values())).consultancy_years,
    )
    for review, check in checks.items():
        label = review.case.enterprise.name
        matching = {e.pk for e in check.matching}
        for pk in experts:
            if pk in eligible_ids:
                continue
            not_matching = [(NOT_MATCHING, check.industry_code or "—")]
            reasons = check.exclusions.get(pk, []) if pk in matching else not_matching
            for rule, detail in reasons:
                combined.exclusions.setdefault(pk, []).append((rule, f"{label}: {detail}"))
        for pk, items in check.dismissed.items():
            combined.dismissed.setdefault(pk, []).extend((r, f"{label}: {why}") for r, why in items)
    return combined


def _shared_draw(*, meeting, review_ids, actor, today) -> list[Panel]:
    reviews = list(
        Review.objects.select_for_update(of=("self",))
        .select_related("case__enterprise__industry")
        .filter(pk__in=review_ids)
        .order_by("pk")
    )
    if not reviews:
        raise ReviewRefused(_("The meeting gathers no application."))
    if Panel.objects.filter(review_id__in=review_ids).exists():
        raise ReviewRefused(_("The meeting's panel is already drawn; redraw a declined seat instead."))
    if any(r.status != Review.Status.ACCEPTED for r in reviews):
        raise ReviewRefused(_("A panel is drawn only for accepted applications (受理)."))
    rubric = Rubric.objects.filter(kind=meeting.kind, is_active=True).order_by("-version").first()
    if rubric is None:
        raise ReviewRefused(_("No rubric is in use for this review kind."))
    size = rules.panel_size()
    today = today or timezone.localdate()
    check = _combined_check({r: selectors.conflict_check(review=r, today=today) for r in reviews})
    rating_floor = quality.rating_floor_apply(check)
    if len(check.eligible) < size:
        raise ReviewRefused(
            _(
                "Too few experts are eligible for every application of the meeting: %(n)s for a panel "
                "of %(size)s (each enterprise's conflicts count for the whole meeting). Draw one panel "
                "per application instead, or widen the pool."
            )
            % {"n": len(check.eligible), "size": size}
        )
    record = _record(meeting=meeting, reviews=reviews, check=check, rubric=rubric, size=size, today=today)
    record["rules"]["rating_floor"] = rating_floor
    order = draw_order(record)[:size]
    digest = record_digest(record)
    panels = []
    for review in reviews:
        panel = Panel.objects.create(
            review=review,
            algorithm=ALGORITHM,
            seed=record["seed"],
            size=size,
            record=record,
            record_sha256=digest,
            drawn_by=actor,
        )
        for position, expert_id in enumerate(order, start=1):
            seat = PanelSeat.objects.create(
                panel=panel, expert_id=expert_id, position=position, is_chair=position == 1
            )
            notices.seat_invited(seat=seat, actor=actor)
        review.rubric = rubric
        review.save(update_fields=["rubric"])
        panels.append(panel)
    Expert.objects.filter(pk__in=order).update(last_drawn_on=today)
    event_record(
        action="review.meeting.draw",
        actor=actor,
        obj=meeting,
        after={"seed": record["seed"], "digest": digest, "seats": order, "panels": [p.pk for p in panels]},
    )
    return panels


def _record(*, meeting, reviews, check, rubric, size, today) -> dict:
    """The shared draw's record: as a single draw's, with every application and enterprise it seats."""
    experts = {e.pk: e for e in check.matching}
    return {
        "algorithm": ALGORITHM,
        "seed": secrets.token_hex(16),
        "size": size,
        "chair": settings.QINGSHEN_PANEL_CHAIR,
        "drawn_on": today.isoformat(),
        "meeting": meeting.pk,
        "reviews": [r.pk for r in reviews],
        "enterprises": [{"id": r.case.enterprise_id, "uscc": r.case.enterprise.uscc} for r in reviews],
        "industry": check.industry_code,
        "rules": {
            "consultancy_years": check.consultancy_years,
            "specialty_match": "industry code prefix, for every application",
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


def meeting_seats_accept(*, meeting_id: int, actor, no_conflict: bool) -> list[PanelSeat]:
    """The expert accepts every seat it is invited to in the meeting at once, declaring no conflict
    with each enterprise (each seat's answer is its own, as seats.seat_respond records it)."""
    meeting = scoping.meetings_visible(actor).filter(pk=meeting_id).first()
    if meeting is None:
        raise ReviewNotFound()
    ids = list(
        scoping.seats_visible(actor)
        .filter(panel__review__meeting_case__meeting=meeting, status=PanelSeat.Status.INVITED)
        .order_by("panel__review_id")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ReviewRefused(_("No seat of this meeting awaits your answer."))
    with transaction.atomic():
        return [
            seats.seat_respond(seat_id=pk, actor=actor, accept=True, no_conflict=no_conflict) for pk in ids
        ]
