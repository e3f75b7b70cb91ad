from django.db import migrations


def seed_rules(apps, schema_editor):
    """The shortest acceptance time limit an evaluation opinion may set, as a rule the city edits (a row
    the city already has is left alone)."""
    from qingshen.procedures import seeds
    from qingshen.reviews.seed import ACCEPTANCE_LIMIT_RULES

    Rule = seeds.model(apps, "Rule")
    for row in ACCEPTANCE_LIMIT_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0007_seed_expert_rating_floor"),
        ("procedures", "0005_seed_review_organise_rules"),
    ]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
