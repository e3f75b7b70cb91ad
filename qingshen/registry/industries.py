"""Loading GB/T 4754 as versioned data from CSV (code, level, parent, name_zh, name_en)."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.registry.models import INDUSTRY_EDITION_DEFAULT, Industry

SHIPPED_FILE = Path(__file__).parent / "data" / "gbt4754_2017.csv"
LEVELS = {"section": 1, "division": 2, "group": 3, "class": 4}
# Divisions of the key industries of 环办科财〔2020〕27号 (能源、冶金、焦化、建材、有色、化工、印染、造纸、
# 原料药、电镀、农副食品加工、包装印刷) as GB/T 4754-2017 divisions; 工业涂装 cuts across divisions
# and is flagged per enterprise. A city adds more (e.g. Chongqing's 电池) by editing the rows.
KEY_INDUSTRY_DIVISIONS = ("06", "13", "17", "22", "23", "25", "26", "27", "30", "31", "32", "33", "44")


class IndustryFileError(ValueError):
    pass


@transaction.atomic
def industries_load(
    path: Path = SHIPPED_FILE, *, edition: str = INDUSTRY_EDITION_DEFAULT, model=Industry
) -> int:
    """Insert or update every row of the file; all or nothing. Returns the number of rows read."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    required = {"code", "level", "parent", "name_zh"}
    if not rows or not required <= set(rows[0]):
        raise IndustryFileError(_("The file needs the columns code, level, parent, name_zh (and name_en)."))
    rows.sort(key=lambda r: LEVELS.get(r["level"].strip(), 99))
    known = {i.code: i for i in model.objects.filter(edition=edition)}
    for number, row in enumerate(rows, start=2):
        code, level, parent_code = row["code"].strip(), row["level"].strip(), row["parent"].strip()
        if level not in LEVELS:
            raise IndustryFileError(
                _("Row %(n)d: unknown level “%(level)s”.") % {"n": number, "level": level}
            )
        parent = known.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise IndustryFileError(_("Row %(n)d: unknown parent “%(p)s”.") % {"n": number, "p": parent_code})
        obj, _created = model.objects.update_or_create(
            edition=edition,
            code=code,
            defaults={
                "level": level,
                "parent": parent,
                "name_zh": row["name_zh"].strip(),
                "name_en": (row.get("name_en") or "").strip(),
            },
        )
        known[code] = obj
    model.objects.filter(edition=edition, code__in=KEY_INDUSTRY_DIVISIONS).update(is_key_industry=True)
    return len(rows)
