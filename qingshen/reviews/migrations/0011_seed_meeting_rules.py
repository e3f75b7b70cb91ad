from django.db import migrations


def seed_rules(apps, schema_editor):
    """The revision period and the 公示 of a meeting's results, as rules the city edits (a row the city
    already has is left alone)."""
    from qingshen.procedures import seeds
    from qingshen.reviews.seed import MEETING_RULES

    Rule = seeds.model(apps, "Rule")
    for row in MEETING_RULES:
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0010_meetings"),
        ("procedures", "0005_seed_review_organise_rules"),
    ]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
