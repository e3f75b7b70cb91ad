from django.db import migrations


def seed(apps, schema_editor):
    """The permit renewal notice period the sweep warns by (oversight.permit_warnings), with its source."""
    from qingshen.oversight.permit_warnings import PERMIT_RULES
    from qingshen.procedures import seeds

    Rule = seeds.model(apps, "Rule")
    for row in PERMIT_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0015_permitwarning"),
        ("procedures", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
