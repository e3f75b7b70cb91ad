"""What the reviews' writes share: the locked review row and the step's date."""

import datetime

from django.utils import timezone

from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound
from qingshen.reviews.models import Review


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
