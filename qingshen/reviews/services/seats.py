"""The drawn expert's answer to the invitation: accept with a no-conflict declaration, or decline (a
declared conflict is kept against the enterprise for later draws)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import ExpertConflict, PanelSeat, Review
from qingshen.reviews.rows import _locked_own_seat
from qingshen.trail.services import event_record


@transaction.atomic
def seat_respond(
    *, seat_id: int, actor, accept: bool, no_conflict: bool = False, conflict: str = "", reason: str = ""
) -> PanelSeat:
    """The drawn expert accepts (declaring no conflict) or declines (a declared conflict is kept)."""
    seat = _locked_own_seat(seat_id=seat_id, actor=actor)
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
