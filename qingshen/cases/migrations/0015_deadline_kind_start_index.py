"""The set-based recompute (cases.deadline_bulk) reads and rewrites one duty's rows of one start date at a
time. The case's own index stays: since programme dates, the (case, kind) constraint is partial."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_history_import_fields")]

    operations = [
        migrations.AddIndex(
            model_name="casedeadline",
            index=models.Index(fields=["kind", "starts_on"], name="deadline_kind_start_idx"),
        ),
    ]
