"""The columns of the notices' list tables, and turning typed rows into checked, normalised rows.

Headers are matched in Chinese or English, ignoring spaces, punctuation and width; title rows above
the header are skipped; a district cell merged over several rows applies to each of them.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from qingshen.core.files import row_checks
from qingshen.core.files.spreadsheets import FORMULA_LEAD
from qingshen.programmes.models import Ground, Listing, PlanEntry
from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Enterprise

# The notices' column headers, as written in the exports (data, not UI text: the files travel as is).
HEADERS = {
    "seq": "序号",
    "district": "区县",
    "name": "企业名称",
    "uscc": "统一社会信用代码",
    "industry": "行业代码",
    "grounds": "纳入类型",
    "note": "备注",
    "planned_year": "计划年度",
}
ALIASES = {
    "seq": ["序号", "编号", "no", "number", "seq"],
    "district": [
        "区县",
        "所在地",
        "所在区县",
        "区县自治县",
        "属地",
        "所属区县",
        "地区",
        "district",
        "jurisdiction",
    ],
    "name": ["企业名称", "单位名称", "企业", "名称", "enterprise", "enterprisename", "company", "name"],
    "uscc": ["统一社会信用代码", "社会信用代码", "信用代码", "uscc", "creditcode", "unifiedsocialcreditcode"],
    "industry": ["行业代码", "所属行业", "行业类别", "行业", "industry", "industrycode"],
    "grounds": ["纳入类型", "纳入原因", "纳入依据", "审核类型", "类型", "grounds", "ground", "reason"],
    "note": ["备注", "说明", "note", "notes", "remarks"],
    "planned_year": ["计划年度", "计划审核年度", "审核年度", "年度", "plannedyear", "year"],
}
REQUIRED = ("name", "uscc", "grounds")
HEADER_SCAN_ROWS = 20

# How the exports write each ground, and what people type for it.
GROUND_WORDS = {
    Ground.EMISSIONS: "双超",
    Ground.ENERGY: "高耗能",
    Ground.HAZARDOUS: "双有",
    Ground.OTHER: "其他",
}
GROUND_SYNONYMS = {
    Ground.EMISSIONS: ["双超", "超标", "超总量", "超标排放", "emissions", "一", "1"],
    Ground.ENERGY: ["高耗能", "超能耗", "能耗超限", "能耗", "energy", "二", "2"],
    Ground.HAZARDOUS: ["双有", "有毒有害", "hazardous", "三", "3"],
    Ground.OTHER: ["其他", "重点工作任务", "重点任务", "other"],
}
_GROUND_ORDER = {g: i for i, g in enumerate(Ground.values)}  # Ground.values builds a new list each time
_SYNONYM = {w.lower(): g for g, words in GROUND_SYNONYMS.items() for w in words}
_SPLIT = re.compile(r"[,，、;；/|\s]+|和|及")
_OTHER_REASON = re.compile(r"^(其他|重点工作任务|重点任务|other)\s*[（(:：]\s*(.*?)\s*[）)]?$", re.IGNORECASE)


def squash(text: str) -> str:
    """Full-width to half-width, no spaces or punctuation, lower case: for comparing headers and names."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if ch.isalnum())


# Full-width letters and digits (and the ideographic space) → ASCII; Chinese punctuation such as （）
# stays, since registered names are written with it.
_WIDTH = {c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_WIDTH[0x3000] = 0x20


def clean_text(text: str) -> str:
    """A typed value: full-width letters and digits made plain, runs of spaces collapsed, export escape undone."""
    text = (text or "").translate(_WIDTH)
    text = " ".join(text.split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_LEAD:
        text = text[1:]
    return text


def match_header(cells: list[str], aliases: dict | None = None, required=REQUIRED) -> dict[str, int]:
    """Column index per field, or {} when the row is not a header (`aliases`: another table's columns)."""
    aliases = ALIASES if aliases is None else aliases
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = squash(cell)
        if not key:
            continue
        for fieldname, words in aliases.items():
            if fieldname in found:
                continue
            if any(key == a for a in words) or any(len(a) >= 2 and a in key for a in words):
                found[fieldname] = index
                break
    return found if all(f in found for f in required) else {}


def parse_grounds(raw: str) -> tuple[list[str], str, str]:
    """(grounds, reason for "other", unknown word) from text like "双超、高耗能" or "其他（重点任务）"."""
    text = clean_text(raw)
    grounds: list[str] = []
    other_reason = ""
    m = _OTHER_REASON.match(text)
    if m:
        return [Ground.OTHER], m.group(2), ""
    for part in _SPLIT.split(text):
        part = part.strip().strip("（）()")
        if not part:
            continue
        m = _OTHER_REASON.match(part)
        if m:
            grounds.append(Ground.OTHER)
            other_reason = m.group(2)
            continue
        ground = _SYNONYM.get(part.lower())
        if ground is None:
            return grounds, other_reason, part
        if ground not in grounds:
            grounds.append(ground)
    return sorted(grounds, key=_GROUND_ORDER.__getitem__), other_reason, ""


def grounds_text(grounds, other_reason: str = "") -> str:
    words = [GROUND_WORDS[g] for g in grounds if g in GROUND_WORDS]
    if other_reason and Ground.OTHER in grounds:
        words[-1] = f"{GROUND_WORDS[Ground.OTHER]}（{other_reason}）"
    return "；".join(words)


@dataclass
class Context:
    """What validation looks up, loaded once per file (not per row)."""

    kind: str  # "annual" or "plan"
    plan_years: tuple[int, ...]  # the years a plan entry may be planned for (plan.plan_years); () annual
    districts: dict[str, dict]  # squashed name or code → {"id", "path", "name", "in_scope"}
    industries: dict[str, int]  # code → id
    registry: dict[str, dict]  # uscc → {"id", "name", "district_id", "in_scope"}
    on_list: set[int]  # enterprise ids already on the list
    user_path: str  # the importer's jurisdiction path
    errors: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


def _error(ctx: Context, row: int, column: str, problem: str, fix: str) -> None:
    ctx.errors.append({"row": row, "column": column, "problem": str(problem), "fix": str(fix)})


def _industry_id(ctx: Context, raw: str) -> tuple[int | None, bool]:
    text = clean_text(raw)
    if not text:
        return None, True
    m = re.match(r"^([A-Ta-t]?)(\d{2,4})", text.replace(" ", ""))
    if m:
        # The most precise loaded node: a deployment may load divisions only (2 digits).
        code = m.group(2)
        for size in (4, 3, 2):
            if len(code) >= size and code[:size] in ctx.industries:
                return ctx.industries[code[:size]], True
        return None, False
    letter = text[:1].upper()
    if len(text) == 1 and letter in ctx.industries:
        return ctx.industries[letter], True
    return None, False


def validate_row(ctx: Context, rownum: int, values: dict[str, str], seen: dict[str, tuple]) -> dict | None:
    """Check one row; add its problems to ctx and return the normalised row, or None.

    `seen` maps each code met so far to its (sheet row, 序号)."""
    before = len(ctx.errors)
    try:
        return _validate_row(ctx, rownum, values, seen)
    finally:
        seq = clean_text(values.get("seq", ""))
        if seq and not row_checks.cell_characters_problem(seq):
            for error in ctx.errors[before:]:
                error["seq"] = seq


def _validate_row(ctx: Context, rownum: int, values: dict[str, str], seen: dict[str, tuple]) -> dict | None:
    before = len(ctx.errors)
    col = HEADERS
    # Every cell's characters first: a refused one is reported once and echoed in no other message
    # (PostgreSQL could not even store the report). Line breaks inside a cell are folded by clean_text.
    for key, raw in values.items():
        message = row_checks.cell_characters_problem(raw, multiline=True)
        if message:
            _error(ctx, rownum, col.get(key, key), message, _("Type the cell again instead of pasting it."))
    if len(ctx.errors) > before:
        return None
    listing_model = PlanEntry if ctx.kind == "plan" else Listing
    name = clean_text(values.get("name", ""))
    if not name:
        _error(ctx, rownum, col["name"], _("The enterprise name is empty."), _("Type the registered name."))
    elif message := row_checks.field_problem(Enterprise, "name", name):
        _error(ctx, rownum, col["name"], message, _("Type the registered name."))
    raw_code = values.get("uscc", "")
    code = ""
    try:
        code = uscc_codes.validate(raw_code)
    except uscc_codes.InvalidCode as exc:
        _error(
            ctx, rownum, col["uscc"], exc.reason, _("Copy the 18-character code from the business licence.")
        )
    if code:
        if code in seen:
            first_row, first_seq = seen[code]
            if first_seq:
                problem = _("The same code is already in row %(row)s (序号 %(seq)s) of this file.") % {
                    "row": first_row,
                    "seq": first_seq,
                }
            else:
                problem = _("The same code is already in row %(row)s of this file.") % {"row": first_row}
            _error(ctx, rownum, col["uscc"], problem, _("Keep one row per enterprise."))
        else:
            seen[code] = (rownum, clean_text(values.get("seq", "")))
    note = clean_text(values.get("note", ""))
    if message := row_checks.field_problem(listing_model, "note", note):
        _error(ctx, rownum, col["note"], message, _("Shorten the note."))
    grounds, other_reason, unknown = parse_grounds(values.get("grounds", ""))
    if unknown:
        _error(
            ctx,
            rownum,
            col["grounds"],
            _("“%(word)s” is not a ground for listing.") % {"word": unknown},
            _("Use 双超, 高耗能, 双有 or 其他（reason）, separated by 、"),
        )
    elif not grounds and ctx.kind != "plan":  # a plan entry may not know its ground yet
        _error(
            ctx,
            rownum,
            col["grounds"],
            _("No ground is given."),
            _("Use 双超, 高耗能, 双有 or 其他（reason）."),
        )
    elif Ground.OTHER in grounds and not other_reason:
        _error(
            ctx, rownum, col["grounds"], _("The ground “other” needs a reason."), _("Write 其他（reason）.")
        )
    elif other_reason and (message := row_checks.field_problem(Listing, "other_reason", other_reason)):
        _error(ctx, rownum, col["grounds"], message, _("Shorten the reason."))
    district = None
    raw_district = clean_text(values.get("district", ""))
    if raw_district:
        district = ctx.districts.get(squash(raw_district))
        if district is None:
            _error(
                ctx,
                rownum,
                col["district"],
                _("“%(d)s” is not a district of this city.") % {"d": raw_district},
                _("Use the district's name as in the system, e.g. one from the template."),
            )
        elif not district["in_scope"]:
            _error(
                ctx,
                rownum,
                col["district"],
                _("%(d)s is outside your jurisdiction.") % {"d": raw_district},
                _("Only import enterprises of your own jurisdiction."),
            )
            district = None
    industry_id, industry_ok = _industry_id(ctx, values.get("industry", ""))
    if not industry_ok:
        _error(
            ctx,
            rownum,
            col["industry"],
            _("“%(v)s” is not a GB/T 4754 industry code.") % {"v": values.get("industry", "")},
            _("Write the 2- to 4-digit code, e.g. 2614."),
        )
    planned_year = None
    if ctx.kind == "plan":
        raw_year = clean_text(values.get("planned_year", ""))
        if not raw_year.isdigit() or int(raw_year) not in ctx.plan_years:
            _error(
                ctx,
                rownum,
                col["planned_year"],
                _("The planned year must be one of %(years)s.")
                % {"years": "、".join(map(str, ctx.plan_years))},
                _("Write the year as four digits."),
            )
        else:
            planned_year = int(raw_year)
    existing = ctx.registry.get(code) if code else None
    if existing is not None:
        if not existing["in_scope"]:
            _error(
                ctx,
                rownum,
                col["uscc"],
                _("This enterprise is registered outside your jurisdiction."),
                _("Only import enterprises of your own jurisdiction."),
            )
        elif district is not None and district["id"] != existing["district_id"]:
            _error(
                ctx,
                rownum,
                col["district"],
                _("The registry puts this enterprise in another district."),
                _("Correct the district, or change the enterprise in the registry first."),
            )
        elif existing["id"] in ctx.on_list:
            _error(
                ctx,
                rownum,
                col["uscc"],
                _("%(name)s is already on this list.") % {"name": existing["name"]},
                _("Remove the row."),
            )
        elif name and squash(name) != squash(existing["name"]):
            ctx.conflicts.append(
                {"row": rownum, "uscc": code, "file_name": name, "registry_name": existing["name"]}
            )
    elif code and district is None and not raw_district:
        _error(
            ctx,
            rownum,
            col["district"],
            _("The enterprise is not in the registry yet, so its district is needed."),
            _("Fill in the district."),
        )
    if len(ctx.errors) > before:
        return None
    return {
        "row": rownum,
        "uscc": code,
        "name": name,
        "enterprise_id": existing["id"] if existing else None,
        "district_id": district["id"] if district else None,
        "industry_id": industry_id,
        "grounds": grounds,
        "other_reason": other_reason,
        "note": note,
        "planned_year": planned_year,
    }
