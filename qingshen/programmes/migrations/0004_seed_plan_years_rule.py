from django.db import migrations


def seed(apps, schema_editor):
    """The plan list's span, formerly the setting QINGSHEN_PLAN_YEARS, as a rule the city edits."""
    from qingshen.procedures import seeds
    from qingshen.programmes.seed import PLAN_YEARS_RULE

    Rule = seeds.model(apps, "Rule")
    row = PLAN_YEARS_RULE
    Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_import_interruption"),
        ("procedures", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
