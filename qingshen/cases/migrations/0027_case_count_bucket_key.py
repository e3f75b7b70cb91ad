from django.db import migrations, models


def count_by_bucket(apps, schema_editor):
    """Every cell's counts again, one row per bucket key, with the cases' real due dates."""
    from django.utils import timezone

    from qingshen.cases.counts import counted_buckets, counted_rows

    AuditCase = apps.get_model("cases", "AuditCase")
    CaseCount = apps.get_model("cases", "CaseCount")
    RollupCell = apps.get_model("cases", "RollupCell")
    CaseCount.objects.all().delete()
    cells = AuditCase.objects.order_by().values_list("programme_id", "jurisdiction_id", "kind").distinct()
    for programme_id, jurisdiction_id, kind in sorted(set(cells)):
        cell, _created = RollupCell.objects.get_or_create(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind
        )
        cases = AuditCase.objects.filter(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, kind=kind
        )
        CaseCount.objects.bulk_create(
            counted_buckets(CaseCount, cell, counted_rows(cases, timezone.localdate())), batch_size=5000
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0026_list_seek_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="casecount",
            name="key",
            field=models.CharField(default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(count_by_bucket, migrations.RunPython.noop),
    ]
