"""The city edits its procedure (履职行权规程): a new edition with the day it takes effect, the earlier
ones kept as its history (procedures.versions)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.core.errors import NotFound, Refused
from qingshen.core.text import PUBLIC_TEXT_VALIDATORS
from qingshen.oversight import scoping
from qingshen.procedures.models import Procedure
from qingshen.procedures.versions import FIELDS, STEP_FIELDS, version_add

REQUIRED = ("power_type", "acting_body", "name", "legal_basis", "accountability", "supervision", "remedies")


class ProcedureRefused(Refused):
    pass


def _checked(value, label) -> str:
    value = (value or "").strip()
    try:
        for validator in PUBLIC_TEXT_VALIDATORS:
            validator(value)
    except ValidationError as exc:
        raise ProcedureRefused(f"{label}: {' '.join(exc.messages)}") from exc
    return value


def procedure_edit(
    *, actor, procedure: Procedure, fields: dict, steps: dict, effective_on: datetime.date, note: str
):
    """`fields`: the record's fields (procedures.versions.FIELDS); `steps`: {order: {field: value}} for
    the existing steps. Refused, with the reason, when a required field is empty, the day is in the past
    (an edition never rewrites what was in force) or nothing is said about what changed."""
    if not scoping.may_edit_procedure(actor):
        raise NotFound
    if effective_on < timezone.localdate():
        raise ProcedureRefused(
            _("An edition takes effect today or later; what was in force is not rewritten.")
        )
    note = _checked(note, _("What changed"))
    if not note:
        raise ProcedureRefused(_("Say what this edition changes."))
    content = {f: _checked(fields.get(f, getattr(procedure, f)), f) for f in FIELDS}
    if content["power_type"] not in Procedure.PowerType.values:
        raise ProcedureRefused(_("Unknown power type."))
    missing = [str(Procedure._meta.get_field(f).verbose_name) for f in REQUIRED if not content[f]]
    if missing:
        raise ProcedureRefused(_("Fill in: %(fields)s.") % {"fields": "、".join(missing)})
    rows = []
    for step in procedure.steps.order_by("order"):
        given = steps.get(step.order, {})
        row = {"order": step.order}
        for f in STEP_FIELDS:
            row[f] = _checked(given.get(f, getattr(step, f)), f)
        if not row["name"] or not row["responsible_section"]:
            raise ProcedureRefused(
                _("Step %(n)s needs its name and its responsible section.") % {"n": step.order}
            )
        rows.append(row)
    content["steps"] = rows
    return version_add(
        procedure=procedure, content=content, effective_on=effective_on, note=note, actor=actor
    )
