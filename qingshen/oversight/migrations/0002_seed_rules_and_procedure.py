from django.db import migrations


def seed(apps, schema_editor):
    from qingshen.procedures import seeds
    from qingshen.procedures.procedure_seed import PROCEDURE, STEPS
    from qingshen.procedures.rules_seed import DEFAULT_RULES

    Rule = seeds.model(apps, "Rule")
    Procedure = seeds.model(apps, "Procedure")
    ProcedureStep = seeds.model(apps, "ProcedureStep")
    for row in DEFAULT_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    if not Procedure.objects.exists():
        procedure = Procedure.objects.create(**PROCEDURE)
        for step in STEPS:
            rule = Rule.objects.get(code=step["rule"]) if step["rule"] else None
            ProcedureStep.objects.create(procedure=procedure, **{**step, "rule": rule})


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
