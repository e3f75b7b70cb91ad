"""Reviews' answers to what lower floors announce."""

from django.dispatch import receiver

from qingshen.cases.signals import case_counted_by_group
from qingshen.reviews.services.cancellations import reviews_cancel_counted_by_group


@receiver(case_counted_by_group, dispatch_uid="reviews-counted-by-group")
def counted_by_group(sender, case, group, actor, day, **kwargs) -> None:
    reviews_cancel_counted_by_group(case=case, group=group, actor=actor, day=day)
