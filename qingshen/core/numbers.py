"""How a figure is written, by its unit: on pages (localised text) and in .xlsx cells (a number
with a number format). The one place that decides decimals; pages and exports ask it, not their own
`floatformat`.

Places per unit, longest prefix first (so 吨标准煤 is tonnes, 万kWh is not 万元):
- 万元 (10k yuan): 2 places, i.e. to the 100 yuan, as the summary tables of the bureaus give money;
- 元 (yuan): whole yuan (fines are set in whole yuan);
- 吨 / t, 吨标准煤 / tce: 3 places, to the kilogram;
- kg: 3 places; 万kWh: 2 places (100 kWh);
- % (rates): 1 place;
- no unit: a count, an integer.
Grouping of the integer part follows the language's format (qingshen/formats/): groups of three
with a comma in both (GB/T 15835-2011 §5.1.4.2 allows the 千分撇 in Chinese).
"""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats

UNIT_PLACES = (
    ("吨标准煤", 3),
    ("tce", 3),
    ("万kWh", 2),
    ("10k kWh", 2),
    ("万元", 2),
    ("10k yuan", 2),
    ("元", 0),
    ("yuan", 0),
    ("吨", 3),
    ("t", 3),
    ("kg", 3),
    ("%", 1),
)
MONEY = "万元"  # the unit of investment and of the summary's penalty amounts (10k yuan)
YUAN = "元"  # the unit of a single fine
PERCENT = "%"


def places_for(unit: str | None) -> int:
    """Decimal places of a figure in `unit`; 0 (a count) when there is no unit."""
    unit = (unit or "").strip()
    if not unit:
        return 0
    for prefix, places in UNIT_PLACES:
        if unit.startswith(prefix):
            return places
    return 2


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def rounded(value, unit: str | None) -> Decimal | None:
    """The value as shown: rounded half up to its unit's places (a count stays whole)."""
    number = _decimal(value)
    if number is None:
        return None
    places = places_for(unit)
    # + 0 turns a rounded −0.000 into 0.000.
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) + 0


def figure(value, unit: str | None = None) -> str:
    """`value` written for a page in the current language: 1,234.50 (万元), 8.500 (吨), 12 (a count).
    Empty for None; anything that is not a number is returned as it is."""
    number = rounded(value, unit)
    if number is None:
        return "" if value is None else str(value)
    return formats.number_format(number, places_for(unit), use_l10n=True, force_grouping=True)


def xlsx_format(unit: str | None) -> str:
    """The cell number format for a figure in `unit` (the spreadsheet groups per the reader's locale)."""
    places = places_for(unit)
    return "#,##0" + ("." + "0" * places if places else "")


@dataclasses.dataclass(frozen=True)
class Figure:
    """A number with its unit, for tables that go both to a page and to a spreadsheet: str() is the
    page's text; the .xlsx writer puts `value` in the cell with `xlsx_format(unit)`."""

    value: object
    unit: str | None = None

    def __str__(self) -> str:
        return figure(self.value, self.unit)

    @property
    def number(self) -> float:
        """The whole value for a spreadsheet cell; its number format rounds what is shown."""
        number = _decimal(self.value)
        return float(number) if number is not None else 0.0
