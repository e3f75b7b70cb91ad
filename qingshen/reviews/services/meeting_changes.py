"""Changing a review meeting after it was organised: applications added or taken out before it is
held, and a declined seat of the shared panel redrawn for the whole meeting.

A shared panel is one draw seated on every application (services.meetings). So an application joins
a shared meeting only before that draw (its enterprise's conflicts must count in it) and leaves only
before it; and a declined expert is replaced on every application at once, each seat through
services.draw.seat_redraw from the same record, so that the panels stay the same experts and each
still verifies. Lock order as in services.meetings: the meeting, then its reviews by id.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.reviews import scoping
from qingshen.reviews.draw import draw_order
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import MeetingCase, Panel, PanelSeat, Review, ReviewMeeting
from qingshen.reviews.services import draw
from qingshen.reviews.services.meetings import _joinable, _locked_meeting, _organised
from qingshen.trail.services import event_record


def _changeable(meeting: ReviewMeeting, today: datetime.date) -> None:
    if meeting.status != ReviewMeeting.Status.OPEN:
        raise ReviewRefused(_("The meeting's results are published; its applications stay as they were."))
    if today > meeting.held_on:
        raise ReviewRefused(
            _("The meeting was held on %(day)s; its applications stay as they were.")
            % {"day": meeting.held_on.isoformat()}
        )


def _shared_drawn(meeting: ReviewMeeting) -> bool:
    return (
        meeting.panel_mode == ReviewMeeting.PanelMode.SHARED
        and Panel.objects.filter(review__meeting_case__meeting=meeting).exists()
    )


@transaction.atomic
def meeting_cases_add(
    *, meeting_id: int, actor, review_ids, today: datetime.date | None = None
) -> list[MeetingCase]:
    """Accepted applications the organiser's bureau organises join the meeting before it is held."""
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    _changeable(meeting, today or timezone.localdate())
    ids = sorted({int(i) for i in review_ids})
    if not ids:
        raise ReviewRefused(_("Choose at least one application to add."))
    shared = meeting.panel_mode == ReviewMeeting.PanelMode.SHARED
    if shared and _shared_drawn(meeting):
        raise ReviewRefused(
            _(
                "The meeting's shared panel is already drawn for its applications; an application "
                "added now would not be in that draw. Organise another meeting for it."
            )
        )
    reviews = list(
        scoping.reviews_visible(actor)
        .select_for_update(of=("self",))
        .select_related("case__programme__city", "case__jurisdiction", "case__enterprise")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(reviews) != len(ids):
        raise ReviewNotFound()
    for review in reviews:
        _joinable(review, actor=actor, kind=meeting.kind, shared=shared)
    rows = MeetingCase.objects.bulk_create(
        [MeetingCase(meeting=meeting, review=r, meeting_on=meeting.held_on) for r in reviews]
    )
    event_record(action="review.meeting.add", actor=actor, obj=meeting, after={"reviews": ids})
    return rows


@transaction.atomic
def meeting_case_remove(
    *, meeting_id: int, review_id: int, actor, today: datetime.date | None = None
) -> None:
    """An application leaves the meeting before it is held; it keeps its own panel when it has one
    (a per-application draw), and can join another meeting."""
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    row = (
        MeetingCase.objects.select_for_update()
        .select_related("review__case__enterprise")
        .filter(meeting=meeting, review_id=review_id)
        .first()
    )
    if row is None:
        raise ReviewNotFound()
    _changeable(meeting, today or timezone.localdate())
    name = row.review.case.enterprise.name
    if row.review.outcome:
        raise ReviewRefused(_("The conclusion of %(e)s is given; it stays in the meeting.") % {"e": name})
    if _shared_drawn(meeting):
        raise ReviewRefused(
            _("%(e)s sits before the meeting's shared panel, already drawn; it stays in the meeting.")
            % {"e": name}
        )
    if meeting.cases.count() == 1:
        raise ReviewRefused(_("A meeting gathers at least one application."))
    before = {"review": review_id, "site_visit_on": row.site_visit_on, "meeting_on": row.meeting_on}
    row.delete()
    event_record(action="review.meeting.remove", actor=actor, obj=meeting, before=before)


def declined_experts(meeting: ReviewMeeting) -> list:
    """The shared panel's experts who declined every seat of the meeting and are not yet replaced:
    those the meeting-wide redraw is offered for."""
    if meeting.panel_mode != ReviewMeeting.PanelMode.SHARED:
        return []
    seats = list(
        PanelSeat.objects.filter(panel__review__meeting_case__meeting=meeting)
        .select_related("expert")
        .order_by("position")
    )
    replaced = {s.replaces_id for s in seats if s.replaces_id}
    by_expert: dict = {}
    for seat in seats:
        by_expert.setdefault(seat.expert_id, []).append(seat)
    return [
        held[0].expert
        for held in by_expert.values()
        if all(s.status == PanelSeat.Status.DECLINED and s.pk not in replaced for s in held)
    ]


@transaction.atomic
def meeting_seat_redraw(
    *, meeting_id: int, expert_id: int, actor, today: datetime.date | None = None
) -> list[PanelSeat]:
    """Replace an expert who declined the shared panel on every application of the meeting with the
    same next candidate of the draw record (each seat through services.draw.seat_redraw)."""
    meeting = _locked_meeting(meeting_id=meeting_id, actor=actor)
    _organised(meeting, actor)
    if meeting.status != ReviewMeeting.Status.OPEN:
        raise ReviewRefused(_("The meeting's results are published."))
    if meeting.panel_mode != ReviewMeeting.PanelMode.SHARED:
        raise ReviewRefused(
            _("Each application of this meeting has its own panel: redraw a declined seat on its review.")
        )
    review_ids = list(meeting.cases.order_by("review_id").values_list("review_id", flat=True))
    list(Review.objects.select_for_update(of=("self",)).filter(pk__in=review_ids).order_by("pk"))
    panels = list(Panel.objects.select_for_update().filter(review_id__in=review_ids).order_by("review_id"))
    seats = list(
        PanelSeat.objects.select_for_update()
        .select_related("panel__review__case__enterprise")
        .filter(panel__in=panels, expert_id=expert_id)
        .order_by("panel__review_id")
    )
    if not seats:
        raise ReviewNotFound()
    if PanelSeat.objects.filter(replaces__in=seats).exists():
        raise ReviewRefused(_("This expert was already replaced for the meeting."))
    still = [s.panel.review.case.enterprise.name for s in seats if s.status != PanelSeat.Status.DECLINED]
    if still or len(seats) != len(panels):
        raise ReviewRefused(
            _(
                "The expert has not declined every seat of the meeting (still held: %(names)s); the "
                "shared panel is redrawn once the seat is declined for every application."
            )
            % {"names": "、".join(still) or "—"}
        )
    nexts = {_next_candidate(p) for p in panels}
    if len(nexts) != 1 or None in nexts:
        raise ReviewRefused(
            _(
                "The panels of the meeting no longer hold the same seats, or the draw record has no one "
                "left; redraw each application's seat on its review."
            )
        )
    new = [draw.seat_redraw(seat_id=s.pk, actor=actor, today=today) for s in seats]
    event_record(
        action="review.meeting.redraw",
        actor=actor,
        obj=meeting,
        after={"replaces": expert_id, "expert": new[0].expert_id, "seats": [s.pk for s in new]},
    )
    return new


def _next_candidate(panel: Panel) -> int | None:
    order = draw_order(panel.record)
    taken = panel.seats.count()
    return order[taken] if taken < len(order) else None
