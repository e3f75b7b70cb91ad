# Apart from 0026: PostgreSQL adds no constraint to a table with rows written in the same transaction.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0027_case_count_bucket_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="casecount",
            constraint=models.UniqueConstraint(fields=("cell", "key"), name="case_count_bucket_unique"),
        ),
    ]
