"""Oversight's answers to what lower floors announce."""

from django.dispatch import receiver

from qingshen.oversight.models import AccountabilityRecord
from qingshen.oversight.services import accountability_open
from qingshen.reviews.signals import complete_application_refused


@receiver(complete_application_refused, dispatch_uid="oversight-refused-complete")
def refused_complete(sender, case, duty: str, explanation: str, actor, **kwargs) -> None:
    accountability_open(
        case=case,
        kind=AccountabilityRecord.Kind.REFUSED_COMPLETE,
        duty=duty,
        explanation=explanation,
        actor=actor,
    )
