"""Editions of the procedure (履职行权规程): each edit is a whole new edition with the day it takes
effect; the procedure row and its steps hold the edition in effect, and a later edition is put in
effect by the periodic sweep on its day."""

import datetime

from django.db import transaction
from django.utils import timezone

from qingshen.procedures.models import Procedure, ProcedureVersion
from qingshen.trail.services import event_record

FIELDS = (
    "number",
    "power_type",
    "acting_body",
    "name",
    "scope",
    "legal_basis",
    "mandate",
    "accountability",
    "supervision",
    "supervision_phone",
    "discipline_phone",
    "remedies",
    "remarks",
)
STEP_FIELDS = ("name", "description", "time_limit", "responsible_section")


def snapshot(procedure: Procedure) -> dict:
    return {
        **{f: getattr(procedure, f) for f in FIELDS},
        "steps": [
            {"order": s.order, **{f: getattr(s, f) for f in STEP_FIELDS}}
            for s in procedure.steps.order_by("order")
        ],
    }


def _put_in_effect(procedure: Procedure, version: ProcedureVersion, actor=None) -> None:
    content = version.content
    # A name edited in Chinese no longer matches its English translation: the page falls back to it.
    if procedure.name != content["name"]:
        procedure.name_en = ""
    for f in FIELDS:
        setattr(procedure, f, content[f])
    procedure.version, procedure.effective_on = version.number, version.effective_on
    procedure.save()
    steps = {s.order: s for s in procedure.steps.all()}
    for row in content["steps"]:
        step = steps.get(row["order"])
        if step is None:
            continue  # editions change what steps say, not how many there are
        if step.name != row["name"]:
            step.name_en = ""
        for f in STEP_FIELDS:
            setattr(step, f, row[f])
        step.save()
    version.applied_at = timezone.now()
    version.save(update_fields=["applied_at"])
    event_record(
        action="procedure.version.apply",
        actor=actor,
        obj=version,
        after={"version": version.number, "effective_on": version.effective_on},
    )


@transaction.atomic
def version_add(*, procedure: Procedure, content: dict, effective_on: datetime.date, note: str, actor):
    """Record a new edition; in effect at once if its day has come, else on its day. The caller checks
    who may (oversight.procedure_edit)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    last = (
        procedure.versions.order_by("-number").values_list("number", flat=True).first() or procedure.version
    )
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=last + 1,
        effective_on=effective_on,
        content=content,
        note=note,
        created_by=actor,
    )
    event_record(
        action="procedure.version.add",
        actor=actor,
        obj=version,
        before=snapshot(procedure),
        after={**content, "effective_on": effective_on},
    )
    if effective_on <= timezone.localdate():
        _put_in_effect(procedure, version, actor)
    return version


def versions_apply_due(today: datetime.date | None = None) -> int:
    """Put in effect the editions whose day has come (the sweep), oldest first. Returns how many."""
    today = today or timezone.localdate()
    done = 0
    for version in ProcedureVersion.objects.filter(applied_at__isnull=True, effective_on__lte=today).order_by(
        "effective_on", "number"
    ):
        with transaction.atomic():
            procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
            if procedure.version >= version.number:
                continue  # a later edition is already in effect
            _put_in_effect(procedure, version)
            done += 1
    return done
