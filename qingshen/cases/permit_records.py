"""Recording the audit's findings on the enterprise's discharge permit (cases.models.permits)."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.errors import CaseError, CaseNotFound
from qingshen.cases.models import AuditCase, CasePermitRecord
from qingshen.trail.services import event_record

FIELDS = ("application", "implementation", "permit_number", "note")


@transaction.atomic
def case_permit_record(
    *, actor, case, application: str, implementation: str, note: str = ""
) -> CasePermitRecord:
    """Set the case's permit findings; the permit number in force is kept beside them (the registry's
    current permit of the enterprise, read by the caller's page, or none)."""
    from django.utils import timezone

    from qingshen.registry.permit_selectors import permit_current

    case = scoping.cases_visible(actor).select_for_update().filter(pk=case.pk).first()
    if case is None:
        raise CaseNotFound()
    case = AuditCase.objects.select_related("enterprise").get(pk=case.pk)
    if not scoping.may_record_permit_findings(actor, case):
        raise CaseError(_("You may not record the permit findings of this case."))
    if application not in CasePermitRecord.Application.values:
        raise CaseError(_("Choose whether the permit is held, applied for or registered."))
    if implementation not in CasePermitRecord.Implementation.values:
        raise CaseError(_("Choose how the permit is carried out."))
    current = permit_current(case.enterprise, timezone.localdate())
    record = CasePermitRecord.objects.filter(case=case).first()
    before = {f: getattr(record, f) for f in FIELDS} if record else None
    record = record or CasePermitRecord(case=case)
    record.application, record.implementation, record.note = application, implementation, note.strip()[:2000]
    record.permit_number = current.number if current else ""
    record.recorded_by = actor
    after = {f: getattr(record, f) for f in FIELDS}
    if after == before:
        return record
    record.save()
    event_record(action="case.permit.record", actor=actor, obj=case, before=before, after=after)
    return record
