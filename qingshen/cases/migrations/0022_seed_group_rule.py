from django.db import migrations


def seed(apps, schema_editor):
    """The stage at which a passed group audit counts its members as audited (环办科财函〔2023〕79号)."""
    from qingshen.cases.group_rule import RULE
    from qingshen.procedures import seeds

    Rule = seeds.model(apps, "Rule")
    Rule.objects.get_or_create(code=RULE["code"], defaults={k: v for k, v in RULE.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0021_group_audits"),
        ("procedures", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
