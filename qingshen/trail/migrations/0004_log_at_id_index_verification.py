"""The log page's order (at, id) gets its index (it replaces the one on `at` alone), and successful
verifications are recorded for the incremental runs.

The old index is dropped by name, found by introspection: an AlterField would make SQLite rebuild
trail_event, and a rebuilt table loses its append-only triggers (append_only.py).
"""

import django.utils.timezone
from django.db import migrations, models


def _at_indexes(schema_editor, model):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["at"]
    ]


def at_index_drop(apps, schema_editor):
    model = apps.get_model("trail", "Event")
    for name in _at_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def at_index_create(apps, schema_editor):
    model = apps.get_model("trail", "Event")
    if not _at_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[model._meta.get_field("at")]))


class Migration(migrations.Migration):
    dependencies = [
        ("trail", "0003_checkpoints_append_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["at", "id"], name="trail_event_at_id"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="at",
                    field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
                ),
            ],
            database_operations=[migrations.RunPython(at_index_drop, at_index_create)],
        ),
        migrations.CreateModel(
            name="Verification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.BigIntegerField(verbose_name="sequence")),
                ("digest", models.CharField(max_length=64, verbose_name="digest")),
                ("checkpoint_mac", models.CharField(max_length=64, verbose_name="seal of the checkpoint")),
                ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
                ("full", models.BooleanField(default=False, verbose_name="full run")),
                ("checked", models.BigIntegerField(default=0, verbose_name="rows checked")),
                ("mac", models.CharField(max_length=64, verbose_name="seal")),
            ],
            options={
                "verbose_name": "log verification",
                "verbose_name_plural": "log verifications",
                "ordering": ["-seq", "-id"],
            },
        ),
    ]
