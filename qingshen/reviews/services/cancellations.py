"""An application ended unconcluded because its case was closed another way: a member of a group audit
whose pass counts for it (cases.groups, announced by cases.signals.case_counted_by_group)."""

import datetime

from qingshen.reviews import notices
from qingshen.reviews.models import Review
from qingshen.trail.services import event_record

OPEN_STATUSES = (Review.Status.APPLIED, Review.Status.ACCEPTED)


def reviews_cancel_counted_by_group(*, case, group, actor, day: datetime.date) -> list[Review]:
    """Cancel the case's open applications (awaiting the check, or accepted with a panel in progress),
    each logged, and tell the applicants and the experts seated on its panel (their seats can no longer
    be answered or scored). Runs inside the group's transition (the case row is locked)."""
    reviews = list(
        Review.objects.select_for_update().filter(case_id=case.pk, status__in=OPEN_STATUSES).order_by("pk")
    )
    for review in reviews:
        before = review.status
        review.status = Review.Status.CANCELLED
        review.save(update_fields=["status"])
        event_record(
            action="review.cancel",
            actor=actor,
            obj=review,
            before={"status": before},
            after={"status": review.status, "case": case.pk, "group": group.pk, "on": str(day)},
        )
        notices.application_cancelled(review=review, group_name=group.name, actor=actor)
        notices.seats_released(review=review, actor=actor)
    return reviews
