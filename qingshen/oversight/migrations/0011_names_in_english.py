"""English names of the procedure (履职行权规程) and its steps, for English pages."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Only where the bureau kept the seeded Chinese name and gave no English one."""
    from qingshen.procedures import seeds
    from qingshen.procedures.procedure_seed import PROCEDURE_NAME_EN, STEP_NAMES_EN

    Procedure = seeds.model(apps, "Procedure")
    ProcedureStep = seeds.model(apps, "ProcedureStep")
    for name, name_en in PROCEDURE_NAME_EN.items():
        Procedure.objects.filter(name=name, name_en="").update(name_en=name_en)
    for name, name_en in STEP_NAMES_EN.items():
        ProcedureStep.objects.filter(name=name, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0010_warning_notified_at")]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="English item name"),
        ),
        migrations.AddField(
            model_name="procedurestep",
            name="name_en",
            field=models.CharField(blank=True, max_length=150, verbose_name="English step name"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
