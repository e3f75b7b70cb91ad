"""What the reviews' writes share: the locked review row, the expert's own locked seat, the step's date."""

import datetime

from django.utils import timezone

from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound
from qingshen.reviews.models import PanelSeat, Review


def _day(effective_on: datetime.date | None) -> datetime.date:
    return effective_on or timezone.localdate()


def _locked_review(*, review_id: int, actor) -> Review:
    review = (
        scoping.reviews_visible(actor)
        .select_for_update(of=("self",))
        .select_related("case__enterprise", "rubric")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise ReviewNotFound()
    return review


def _locked_own_seat(*, seat_id: int, actor) -> PanelSeat:
    """The actor's own seat, locked after its review (the lock order of qingshen.reviews.services)."""
    seat = scoping.seats_visible(actor).select_related("panel__review").filter(pk=seat_id).first()
    if seat is None:
        raise ReviewNotFound()
    Review.objects.select_for_update().get(pk=seat.panel.review_id)
    return (
        PanelSeat.objects.select_for_update().select_related("panel__review__case", "expert").get(pk=seat_id)
    )
