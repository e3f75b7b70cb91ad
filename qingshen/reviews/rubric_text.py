"""A rubric as the text the city edits, one item per line: kind | category | item | maximum points | weight.

Pure checks of that text and of the rubric's numbers, so that the settings form shows each problem
beside its field and the service refuses the same things.
"""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import Rubric, RubricItem

RUBRIC_KINDS = {
    "veto": RubricItem.Kind.VETO,
    "否决": RubricItem.Kind.VETO,
    "scored": RubricItem.Kind.SCORED,
    "评分": RubricItem.Kind.SCORED,
    "bonus": RubricItem.Kind.BONUS,
    "加分": RubricItem.Kind.BONUS,
}
KIND_WORDS = {RubricItem.Kind.VETO: "否决", RubricItem.Kind.SCORED: "评分", RubricItem.Kind.BONUS: "加分"}


def rubric_lines(items) -> str:
    """The items (RubricItem rows, in order) as editable text."""
    return "\n".join(
        f"{KIND_WORDS[i.kind]} | {i.category} | {i.text} | {i.max_points.normalize():f} | {i.weight.normalize():f}"
        for i in items
    )


def _limit(model, field_name: str) -> int:
    field = model._meta.get_field(field_name)
    return 10 ** (field.max_digits - field.decimal_places)


def _fits(value: Decimal, model, field_name: str) -> bool:
    """Whether a number fits its DecimalField (PostgreSQL refuses an overflow with an error)."""
    return value < _limit(model, field_name)


def _line_item(n: int, line: str) -> tuple[dict | None, str]:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) != 5:
        return None, _("Line %(n)s: five fields separated by | are needed.") % {"n": n}
    kind, category, label, points, weight = parts
    if kind not in RUBRIC_KINDS:
        return None, _("Line %(n)s: the kind is 评分, 否决 or 加分.") % {"n": n}
    try:
        points_d, weight_d = Decimal(points or "0"), Decimal(weight or "1")
    except InvalidOperation:
        return None, _("Line %(n)s: points and weight are numbers.") % {"n": n}
    if not points_d.is_finite() or not weight_d.is_finite() or points_d < 0 or weight_d <= 0:
        return None, _("Line %(n)s: points are 0 or more and the weight above 0.") % {"n": n}
    if not (_fits(points_d, RubricItem, "max_points") and _fits(weight_d, RubricItem, "weight")):
        return None, _("Line %(n)s: points below %(p)s and a weight below %(w)s.") % {
            "n": n,
            "p": _limit(RubricItem, "max_points"),
            "w": _limit(RubricItem, "weight"),
        }
    if not label:
        return None, _("Line %(n)s: the item text is empty.") % {"n": n}
    item = {
        "kind": RUBRIC_KINDS[kind],
        "category": category[:60],
        "text": label[:300],
        "max_points": points_d,
        "weight": weight_d,
    }
    return item, ""


def rubric_lines_parse(text: str) -> tuple[list[dict], list[str]]:
    """The items of the text (RubricItem fields) and, per faulty line, what is wrong with it."""
    items, errors = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item, error = _line_item(n, line)
        if error:
            errors.append(error)
        else:
            items.append(item)
    if not any(i["kind"] == RubricItem.Kind.SCORED for i in items):
        errors.append(_("A rubric needs at least one scored item."))
    return items, errors


def mark_parse(raw, field_name: str) -> Decimal:
    """The pass mark or the bonus maximum (`field_name` of Rubric): a number from 0 that fits its column."""
    text = str(raw if raw is not None else "").strip()
    if field_name == "bonus_max" and text == "":
        text = "0"
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ReviewRefused(_("The pass mark and the bonus maximum are numbers.")) from exc
    if not value.is_finite() or value < 0:
        raise ReviewRefused(_("The pass mark and the bonus maximum are 0 or more."))
    if not _fits(value, Rubric, field_name):
        raise ReviewRefused(
            _("The pass mark and the bonus maximum are below %(p)s.") % {"p": _limit(Rubric, field_name)}
        )
    return value
