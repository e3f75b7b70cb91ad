import django.utils.timezone
from django.db import migrations, models


def triggers_create(apps, schema_editor):
    from qingshen.trail import append_only

    append_only.triggers_create(schema_editor)


def triggers_drop(apps, schema_editor):
    from qingshen.trail import append_only

    append_only.triggers_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("trail", "0002_hash_chain"),
    ]

    operations = [
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(unique=True, verbose_name="sequence")),
                ("digest", models.CharField(max_length=64, verbose_name="digest")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("interval", "every so many rows"),
                            ("demand", "on demand"),
                            ("prune", "after pruning"),
                            ("mail", "mailed to the auditor"),
                            ("download", "downloaded by the auditor"),
                        ],
                        max_length=20,
                        verbose_name="reason",
                    ),
                ),
                ("prev_mac", models.CharField(blank=True, max_length=64, verbose_name="previous seal")),
                ("mac", models.CharField(max_length=64, verbose_name="seal")),
            ],
            options={
                "verbose_name": "log checkpoint",
                "verbose_name_plural": "log checkpoints",
                "ordering": ["-seq"],
            },
        ),
        # The database refuses UPDATE and DELETE on the log (and its checkpoints) from now on.
        migrations.RunPython(triggers_create, triggers_drop),
    ]
