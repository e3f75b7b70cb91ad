"""Full pinyin beside the initials, matched anywhere in the name (a contains query, so the prefix
index goes); every enterprise's keys are rebuilt (also `manage.py rebuild_search_keys`)."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    from qingshen.registry.search_keys import initials_of, pinyin_of

    Enterprise = apps.get_model("registry", "Enterprise")
    try:
        SearchKey = apps.get_model("public", "SearchKey")
    except LookupError:  # the live registry (a test runs this function): the model moved to registry
        SearchKey = apps.get_model("registry", "SearchKey")
    batch = []
    for pk, name in Enterprise.objects.order_by("pk").values_list("pk", "name").iterator(chunk_size=5000):
        batch.append(SearchKey(enterprise_id=pk, initials=initials_of(name), full=pinyin_of(name)))
        if len(batch) == 5000:
            _write(SearchKey, batch)
            batch = []
    _write(SearchKey, batch)


def _write(SearchKey, rows):
    SearchKey.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["enterprise"], update_fields=["initials", "full"]
    )


class Migration(migrations.Migration):
    dependencies = [("public", "0002_search_keys_fill")]

    operations = [
        migrations.RemoveIndex(model_name="searchkey", name="searchkey_initials_like"),
        migrations.AddField(
            model_name="searchkey",
            name="full",
            field=models.CharField(default="", max_length=600, verbose_name="full pinyin"),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
