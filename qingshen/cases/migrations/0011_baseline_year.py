from django.db import migrations, models


def years_of_baselines(apps, schema_editor):
    """Baselines entered before they had a year: the year before the list, the usual base year."""
    Baseline = apps.get_model("cases", "Baseline")
    for baseline in Baseline.objects.select_related("case"):
        Baseline.objects.filter(pk=baseline.pk).update(year=baseline.case.published_on.year - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_acceptance_report_document_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="baseline",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="base year (审核基准年)"),
        ),
        migrations.RunPython(years_of_baselines, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="baseline",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="base year (审核基准年)"),
        ),
    ]
