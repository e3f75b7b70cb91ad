"""The seeded procedure follows the bureau's form: its item name, the quoted article, remedies with their
articles, no placeholders. Only values still as first seeded are replaced; a bureau's edits stay. The
edition in effect becomes version 1 of the history."""

from django.db import migrations


def follow_the_form(apps, schema_editor):
    from qingshen.procedures.procedure_seed import FIRST_SEED, PROCEDURE, PROCEDURE_NAME_EN

    Procedure = apps.get_model("procedures", "Procedure")
    ProcedureVersion = apps.get_model("procedures", "ProcedureVersion")
    for procedure in Procedure.objects.all():
        changed = [f for f, first in FIRST_SEED.items() if getattr(procedure, f) == first]
        for field in changed:
            setattr(procedure, field, PROCEDURE[field])
        if "name" in changed:
            procedure.name_en = PROCEDURE_NAME_EN[procedure.name]
        procedure.effective_on = procedure.updated_at.date() if procedure.updated_at else None
        procedure.save()
        if not ProcedureVersion.objects.filter(procedure=procedure).exists():
            ProcedureVersion.objects.create(
                procedure=procedure,
                number=procedure.version,
                effective_on=procedure.effective_on or procedure.updated_at.date(),
                content=snapshot(procedure),
                note="初始版本",
                applied_at=procedure.updated_at,
            )


def snapshot(procedure) -> dict:
    from qingshen.procedures.versions import FIELDS, STEP_FIELDS

    return {
        **{f: getattr(procedure, f) for f in FIELDS},
        "steps": [
            {"order": s.order, **{f: getattr(s, f) for f in STEP_FIELDS}}
            for s in procedure.steps.order_by("order")
        ],
    }


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_procedure_versions_and_mandate")]

    operations = [migrations.RunPython(follow_the_form, migrations.RunPython.noop)]
