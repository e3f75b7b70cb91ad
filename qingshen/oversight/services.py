"""Writes on oversight records: accountability cases (追责情形)."""

from django.db import transaction

from qingshen.trail.services import event_record

from .models import AccountabilityRecord, Procedure


def _procedure_citation(kind: str) -> tuple[str, str]:
    """The procedure's own words for this accountability case and its responsible section."""
    procedure = Procedure.objects.prefetch_related("steps").first()
    if procedure is None:
        return "", ""
    lines = [line for line in procedure.accountability.splitlines() if line.strip()]
    index = {AccountabilityRecord.Kind.REFUSED_COMPLETE: 0, AccountabilityRecord.Kind.NOT_REVIEWED: 1}.get(
        kind
    )
    citation = f"{procedure.name}·追责情形 {lines[index]}" if index is not None and index < len(lines) else ""
    section = next((s.responsible_section for s in procedure.steps.all() if s.responsible_section), "")
    return citation, section


@transaction.atomic
def accountability_open(*, case, kind: str, duty: str, explanation: str, actor=None) -> AccountabilityRecord:
    citation, section = _procedure_citation(kind)
    record = AccountabilityRecord.objects.create(
        case=case,
        kind=kind,
        duty=duty,
        responsible_section=(getattr(actor, "section", "") or section),
        rule_citation=citation,
        explanation=explanation,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event_record(
        action="oversight.accountability.open",
        actor=actor,
        obj=record,
        after={"case": case.pk, "kind": kind, "duty": duty, "explanation": explanation},
    )
    return record
