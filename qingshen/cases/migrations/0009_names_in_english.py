"""English names and units of the seeded benefit indicators, for English pages."""

from django.db import migrations, models

# code: (Chinese name as seeded, English name, English unit)
ENGLISH = {
    "economic": ("经济效益", "Economic benefit", "10k yuan/yr"),
    "energy": ("节能量", "Energy saved", "tce/yr"),
    "electricity": ("节电量", "Electricity saved", "10k kWh/yr"),
    "water": ("节水量", "Water saved", "t/yr"),
    "co2": ("CO₂减排量", "CO₂ reduced", "t/yr"),
    "cod": ("COD削减量", "COD reduced", "t/yr"),
    "ammonia": ("氨氮削减量", "Ammonia nitrogen reduced", "t/yr"),
    "so2": ("SO₂削减量", "SO₂ reduced", "t/yr"),
    "nox": ("NOx削减量", "NOx reduced", "t/yr"),
    "particulates": ("颗粒物削减量", "Particulate matter reduced", "t/yr"),
    "vocs": ("VOCs削减量", "VOCs reduced", "t/yr"),
    "hazardous_waste": ("危险废物削减量", "Hazardous waste reduced", "t/yr"),
    "heavy_metals": ("重金属削减量", "Heavy metals reduced", "kg/yr"),
}


def fill(apps, schema_editor):
    """Only where the city kept the seeded Chinese name and gave no English one."""
    Indicator = apps.get_model("cases", "Indicator")
    for code, (name, name_en, unit_en) in ENGLISH.items():
        Indicator.objects.filter(code=code, name=name, name_en="").update(name_en=name_en, unit_en=unit_en)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_option_rollups")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="name_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="English name"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="unit_en",
            field=models.CharField(blank=True, max_length=30, verbose_name="English unit"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
