"""Ship GB/T 4754-2017's 20 sections and 97 divisions as data (classes load with `load_industries`)."""

from django.db import migrations


def load(apps, schema_editor):
    from qingshen.registry.industries import SHIPPED_FILE, industries_load

    industries_load(SHIPPED_FILE, model=apps.get_model("registry", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
