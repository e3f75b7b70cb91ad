from django.db import migrations

from qingshen.core.env import env_int
from qingshen.reviews import seed


def seed_rules(apps, schema_editor):
    """The panel size, its floor, the trimmed mean's minimum and the agency rating scale become rules.

    They were settings read from the environment: a deployment that set one keeps its value when the
    row is first made; a row the city has edited since is left alone."""
    from qingshen.procedures import seeds

    Rule = seeds.model(apps, "Rule")
    for rule in seed.PANEL_RULES:
        rule = dict(rule)
        code, setting = rule.pop("code"), rule.pop("setting")
        rule["amount"] = env_int(setting, rule["amount"])
        Rule.objects.get_or_create(code=code, defaults=rule)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_checklist_item_document_kind"),
        ("procedures", "0002_rule_units_for_numbers"),
    ]

    operations = [migrations.RunPython(seed_rules, migrations.RunPython.noop)]
