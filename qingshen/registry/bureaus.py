"""Reading and changing a bureau's own settings (BureauSettings): a jurisdiction without a row has
the defaults, so nothing needs seeding; every change is logged."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.core.errors import Refused
from qingshen.registry import scoping
from qingshen.registry.bureau_models import (
    BureauSettings,
    DistrictPenalties,
    EnergyConsultation,
    ReviewOrganiser,
)
from qingshen.trail.services import event_record

FIELDS = ("province_level", "review_organiser", "district_penalties", "energy_consultation", "review_section")


def bureau_settings(jurisdiction: Jurisdiction | None) -> BureauSettings:
    """The jurisdiction's settings, or an unsaved row of defaults (asked once per instance)."""
    if jurisdiction is None:
        return BureauSettings()
    cached = jurisdiction.__dict__.get("_bureau_settings")
    if cached is None:
        cached = BureauSettings.objects.filter(jurisdiction=jurisdiction).first() or BureauSettings(
            jurisdiction=jurisdiction
        )
        jurisdiction.__dict__["_bureau_settings"] = cached
    return cached


def bureau_settings_prime(jurisdictions) -> None:
    """Read the settings of many jurisdictions in one query (a page of records asks each of them)."""
    pending = [j for j in jurisdictions if j is not None and "_bureau_settings" not in j.__dict__]
    rows = {
        r.jurisdiction_id: r for r in BureauSettings.objects.filter(jurisdiction__in={j.pk for j in pending})
    }
    for j in pending:
        j.__dict__["_bureau_settings"] = rows.get(j.pk) or BureauSettings(jurisdiction=j)


def energy_consultation(city: Jurisdiction | None) -> str:
    """How the city's energy-saving authority takes part in the mixed-ground cases (EnergyConsultation)."""
    return bureau_settings(city).energy_consultation


def is_province_level(city: Jurisdiction | None) -> bool:
    """A 直辖市: its city bureau is at provincial level (no separate province confirmation)."""
    return city is not None and bureau_settings(city).province_level


@transaction.atomic
def bureau_settings_set(*, jurisdiction: Jurisdiction, actor, **values) -> BureauSettings:
    """Change the settings named in `values`; a district sets only its review section, and whether a
    city is province-level or who organises its reviews is the city's own to say."""
    if not scoping.may_change_bureau_settings(actor, jurisdiction):
        raise Refused(_("Only the bureau's own staff change its settings."))
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise Refused(_("Unknown settings: %(names)s.") % {"names": "、".join(sorted(unknown))})
    city_only = {"province_level", "review_organiser", "district_penalties", "energy_consultation"} & set(
        values
    )
    if city_only and jurisdiction.level != Jurisdiction.Level.CITY:
        raise Refused(_("Only a city says whether it is province-level and who organises its reviews."))
    if "review_organiser" in values and values["review_organiser"] not in ReviewOrganiser.values:
        raise Refused(_("Choose the city bureau or the district bureau."))
    if "district_penalties" in values and values["district_penalties"] not in DistrictPenalties.values:
        raise Refused(_("Choose whether the districts record penalties or propose them."))
    if "energy_consultation" in values and values["energy_consultation"] not in EnergyConsultation.values:
        raise Refused(_("Choose how the energy-saving authority is consulted."))
    if "review_section" in values:
        values["review_section"] = (values["review_section"] or "").strip()
        if len(values["review_section"]) > 100:
            raise Refused(_("The section's name has at most 100 characters."))
    row, _created = BureauSettings.objects.select_for_update().get_or_create(jurisdiction=jurisdiction)
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    jurisdiction.__dict__["_bureau_settings"] = row
    if not changed:
        return row
    before = {name: getattr(row, name) for name in changed}
    for name, value in changed.items():
        setattr(row, name, value)
    row.save()
    event_record(action="bureau.settings.set", actor=actor, obj=row, before=before, after=changed)
    return row
