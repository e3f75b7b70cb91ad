from django.db import migrations

from qingshen.reviews.quality_seed import QUALITY_RULES


def seed_rules(apps, schema_editor):
    """The draw's rating floor, off by default; a row the city has edited since is left alone."""
    from qingshen.procedures import seeds

    Rule = seeds.model(apps, "Rule")
    for rule in QUALITY_RULES:
        rule = dict(rule)
        Rule.objects.get_or_create(code=rule.pop("code"), defaults=rule)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0006_expert_rating"),
        ("procedures", "0002_rule_units_for_numbers"),
    ]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
