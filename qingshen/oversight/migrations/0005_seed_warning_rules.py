from django.db import migrations


def seed(apps, schema_editor):
    from qingshen.procedures import seeds
    from qingshen.procedures.rules_seed import WARNING_RULES

    Rule = seeds.model(apps, "Rule")
    for row in WARNING_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("oversight", "0004_warnings_accountability")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
