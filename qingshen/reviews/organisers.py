"""Who organises a case's reviews (domain.md §8): the city bureau or the district bureau where the
enterprise lies, as the programme says or else its city's setting. The organiser checks completeness,
draws the panel from the city's pool and answers for the review deadlines; the pool stays the city's.

Read by reviews.scoping (who may act), reviews.notices (who hears of an application) and oversight
(whose accountability record a missed deadline is)."""

from qingshen.accounts.models import Jurisdiction
from qingshen.registry.bureau_models import ReviewOrganiser
from qingshen.registry.bureaus import bureau_settings


def organiser_setting(programme) -> str:
    """The programme's own choice, else its city's (ReviewOrganiser value)."""
    return programme.review_organiser or bureau_settings(programme.city).review_organiser


def organising_unit(case) -> Jurisdiction:
    """The bureau that organises the case's reviews: its district when the setting gives the work to the
    districts and the enterprise lies in one (an enterprise filed under the city itself stays the
    city's), else the programme's city. Asked once per case instance."""
    cached = case.__dict__.get("_organising_unit")
    if cached is None:
        programme = case.programme
        district = case.jurisdiction
        if (
            organiser_setting(programme) == ReviewOrganiser.DISTRICT
            and district.level == Jurisdiction.Level.DISTRICT
        ):
            cached = district
        else:
            cached = programme.city
        case.__dict__["_organising_unit"] = cached
    return cached


def responsible_section(case, procedure_section: str) -> str:
    """What an accountability record about the case's reviews names as answering for it: the organiser
    and its review section (its BureauSettings, else the procedure's section). The city keeps the
    procedure's wording, as before the setting existed."""
    unit = organising_unit(case)
    section = bureau_settings(unit).review_section or procedure_section
    if unit.level == Jurisdiction.Level.CITY:
        return section
    return "·".join(part for part in (unit.name, section) if part)[:100]
