"""The benefit indicators of the summary table (domain.md §4), with their units and sources."""

from django.db import migrations

SOURCE = "各地工作总结表（工作总结表无全国模板）；domain.md §4 [L]"
INDICATORS = [
    # code, name, unit, is_reduction
    ("economic", "经济效益", "万元/年", False),
    ("energy", "节能量", "吨标准煤/年", True),
    ("electricity", "节电量", "万kWh/年", True),
    ("water", "节水量", "吨/年", True),
    ("co2", "CO₂减排量", "吨/年", True),
    ("cod", "COD削减量", "吨/年", True),
    ("ammonia", "氨氮削减量", "吨/年", True),
    ("so2", "SO₂削减量", "吨/年", True),
    ("nox", "NOx削减量", "吨/年", True),
    ("particulates", "颗粒物削减量", "吨/年", True),
    ("vocs", "VOCs削减量", "吨/年", True),
    ("hazardous_waste", "危险废物削减量", "吨/年", True),
    ("heavy_metals", "重金属削减量", "kg/年", True),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("cases", "Indicator")
    for order, (code, name, unit, is_reduction) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "is_reduction": is_reduction,
                "sort_order": order,
                "source": SOURCE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_indicator_document_content_type_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
