"""Events may be written unlinked (seq NULL) and linked after their transaction commits (linking.py),
and the append-only triggers let exactly that one change of a row through.

On SQLite the AlterField rebuilds trail_event, which drops its triggers: they are created again here,
after it (append_only.py). PostgreSQL keeps them; they are replaced so the function's new body and the
triggers agree.
"""

from django.db import migrations, models


def triggers_replace(apps, schema_editor):
    from qingshen.trail import append_only

    append_only.triggers_drop(schema_editor)
    append_only.triggers_create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("trail", "0004_log_at_id_index_verification"),
    ]

    operations = [
        # Reversed last: the AlterField's reversal rebuilds the table on SQLite, dropping its triggers.
        migrations.RunPython(migrations.RunPython.noop, triggers_replace),
        migrations.AlterField(
            model_name="event",
            name="seq",
            field=models.BigIntegerField(null=True, unique=True, verbose_name="sequence"),
        ),
        # Reversing keeps the triggers that allow linking (recreated by the first operation's reversal).
        migrations.RunPython(triggers_replace, migrations.RunPython.noop),
    ]
