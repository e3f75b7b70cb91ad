from django.db import migrations


def seed(apps, schema_editor):
    """The bounds a programme's year and dates are checked against, as rules the city edits."""
    from qingshen.procedures import seeds
    from qingshen.programmes.seed import PROGRAMME_DATE_WINDOW_RULE, PROGRAMME_YEAR_SPAN_RULE

    Rule = seeds.model(apps, "Rule")
    for row in (PROGRAMME_YEAR_SPAN_RULE, PROGRAMME_DATE_WINDOW_RULE):
        Rule.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0005_programme_document_milestone_kind"),
        ("procedures", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
