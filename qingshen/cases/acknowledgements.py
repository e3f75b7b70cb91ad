"""The bureau's acknowledgement of a voluntary audit's registration (optional, once, logged)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.models import AuditCase
from qingshen.cases.services import _case_locked
from qingshen.trail.services import event_record


@transaction.atomic
def case_acknowledge(*, case_id: int, actor) -> AuditCase:
    """The bureau of the enterprise's jurisdiction acknowledges a voluntary registration (optional, once)."""
    case = _case_locked(case_id=case_id, actor=actor)
    if not scoping.may_acknowledge(actor, case):
        raise CaseNotFound()
    if case.acknowledged_on is not None:
        raise TransitionRefused(_("This registration was already acknowledged."))
    case.acknowledged_on = timezone.localdate()
    case.acknowledged_by = actor
    case.save(update_fields=["acknowledged_on", "acknowledged_by"])
    event_record(
        action="case.voluntary.acknowledge",
        actor=actor,
        obj=case,
        before={"acknowledged_on": None},
        after={"acknowledged_on": case.acknowledged_on},
    )
    return case
