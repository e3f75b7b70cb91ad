from django.db import migrations


def seed(apps, schema_editor):
    from qingshen.procedures.rules_seed import VIOLATION_TYPES

    ViolationType = apps.get_model("oversight", "ViolationType")
    for row in VIOLATION_TYPES:
        ViolationType.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )


class Migration(migrations.Migration):
    dependencies = [("oversight", "0006_penalties")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
