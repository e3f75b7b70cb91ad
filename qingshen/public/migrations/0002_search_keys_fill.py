"""Search keys for the enterprises registered before the public search existed."""

from django.db import migrations


def fill(apps, schema_editor):
    from qingshen.registry.search_keys import initials_of

    Enterprise = apps.get_model("registry", "Enterprise")
    try:
        SearchKey = apps.get_model("public", "SearchKey")
    except LookupError:  # the live registry (a test runs this function): the model moved to registry
        SearchKey = apps.get_model("registry", "SearchKey")
    SearchKey.objects.bulk_create(
        [
            SearchKey(enterprise_id=pk, initials=initials_of(name))
            for pk, name in Enterprise.objects.values_list("pk", "name")
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("public", "0001_search_key")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
