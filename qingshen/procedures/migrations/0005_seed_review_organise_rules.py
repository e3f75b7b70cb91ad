from django.db import migrations


def seed(apps, schema_editor):
    """The time limits for organising an evaluation after the report and an acceptance after the
    evaluation (追责情形 2), as rules the city edits."""
    from qingshen.procedures import seeds
    from qingshen.procedures.rules_seed import REVIEW_ORGANISE_RULES

    Rule = seeds.model(apps, "Rule")
    for row in REVIEW_ORGANISE_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("procedures", "0004_procedure_as_on_the_form")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
