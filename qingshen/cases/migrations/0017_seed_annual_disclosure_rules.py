from django.db import migrations


def seed(apps, schema_editor):
    """When the annual disclosure (部令第24号) is due and for which years, as rules the city edits."""
    from qingshen.cases.annual_rules import ANNUAL_DISCLOSURE_RULES
    from qingshen.procedures import seeds

    Rule = seeds.model(apps, "Rule")
    for row in ANNUAL_DISCLOSURE_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_annual_disclosure_library_naming"),
        ("procedures", "0005_seed_review_organise_rules"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
