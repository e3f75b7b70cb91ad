"""What an Art. 11 disclosure contains, by listing ground (domain.md §1). Data, read by the form.

Every disclosure has the common items; each ground the enterprise is listed on adds its items, and the
`other` ground (a local key task) adds a free text. Every item is public once submitted: nothing here
may be a contact or other private datum.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DisclosureField:
    key: str
    label: Promise
    long: bool = False  # a textarea rather than one line
    required: bool = True


COMMON = (
    DisclosureField("enterprise_name", _("Enterprise name")),
    DisclosureField("legal_representative", _("Legal representative")),
    DisclosureField("address", _("Address of the site")),
)

BY_GROUND: dict[str, tuple[DisclosureField, ...]] = {
    "emissions": (
        DisclosureField("pollutants", _("Main pollutants"), long=True),
        DisclosureField("discharge_method", _("Discharge method")),
        DisclosureField("concentration_and_total", _("Discharge concentration and total amount"), long=True),
        DisclosureField("exceedance", _("How far the standard or the total quota is exceeded"), long=True),
    ),
    "energy": (
        DisclosureField("energy_types_and_amounts", _("Main energy types and amounts used"), long=True),
        DisclosureField("energy_per_output_value", _("Energy use per unit of output value")),
        DisclosureField("energy_per_product", _("Energy use per unit of product")),
        DisclosureField("energy_exceedance", _("How far the energy limit is exceeded"), long=True),
    ),
    "hazardous": (
        DisclosureField("toxic_materials", _("Toxic raw materials: names, amounts, uses"), long=True),
        DisclosureField(
            "toxic_discharges", _("Toxic substances discharged: names, concentrations, amounts"), long=True
        ),
        DisclosureField(
            "hazardous_waste", _("Hazardous waste generated and how it is disposed of"), long=True
        ),
        DisclosureField("risk_controls", _("Risk controls"), long=True),
    ),
    "other": (DisclosureField("other_information", _("Information on the key task"), long=True),),
}


def fields_for(grounds) -> list[tuple[str, DisclosureField]]:
    """(section, field) pairs: the common items, then each listed ground's items in a fixed order."""
    result = [("common", f) for f in COMMON]
    for ground in BY_GROUND:
        if ground in grounds:
            result.extend((ground, f) for f in BY_GROUND[ground])
    return result


def missing_items(grounds, content: dict) -> list[str]:
    """Labels of required items still empty."""
    return [
        str(f.label) for _, f in fields_for(grounds) if f.required and not str(content.get(f.key, "")).strip()
    ]
