from decimal import Decimal

from django.db import migrations

from qingshen.reviews import seed


def forward(apps, schema_editor):
    from qingshen.procedures import seeds

    ChecklistItem = apps.get_model("reviews", "ChecklistItem")
    Rubric = apps.get_model("reviews", "Rubric")
    RubricItem = apps.get_model("reviews", "RubricItem")
    Rule = seeds.model(apps, "Rule")
    for kind, items in seed.CHECKLISTS.items():
        for order, (code, name, source) in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(
                kind=kind, code=code, defaults={"name": name, "order": order, "source": source}
            )
    for kind, scored in seed.SCORED_ITEMS.items():
        if Rubric.objects.filter(kind=kind).exists():
            continue
        rubric = Rubric.objects.create(
            kind=kind,
            version=1,
            name=seed.RUBRIC_NAMES[kind],
            pass_mark=Decimal(70),
            pass_mark_source=seed.PASS_MARK_SOURCE,
            bonus_max=Decimal(seed.BONUS_MAX),
        )
        order = 0
        for text in seed.VETO_ITEMS:
            order += 1
            RubricItem.objects.create(rubric=rubric, order=order, category="否决项", text=text, kind="veto")
        for category, text, points in scored:
            order += 1
            RubricItem.objects.create(
                rubric=rubric,
                order=order,
                category=category,
                text=text,
                kind="scored",
                max_points=Decimal(points),
            )
        for category, text, points in seed.BONUS_ITEMS:
            order += 1
            RubricItem.objects.create(
                rubric=rubric,
                order=order,
                category=category,
                text=text,
                kind="bonus",
                max_points=Decimal(points),
            )
    rule = dict(seed.CONSULTANCY_RULE)
    Rule.objects.get_or_create(code=rule.pop("code"), defaults=rule)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("oversight", "0002_seed_rules_and_procedure"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
