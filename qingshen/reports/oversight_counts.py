"""Counts that come from the oversight records (issue 6), per jurisdiction path.

WIRING POINT for the lead: warnings and penalties models do not exist yet on this branch; each
function reads the model if it exists and returns no counts otherwise. Each returns
{case jurisdiction_path: {figure key: value}} from one aggregate query.
"""

from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Sum


def _model(name: str):
    try:
        return apps.get_model("oversight", name)
    except LookupError:
        return None


def accountability_by_path(cases) -> dict[str, dict]:
    model = _model("AccountabilityRecord")
    if model is None:
        return {}
    rows = (
        model.objects.filter(case__in=cases.values("pk"))
        .values("case__jurisdiction_path")
        .annotate(n=Count("pk"))
    )
    return {r["case__jurisdiction_path"]: {"accountability": r["n"]} for r in rows}


def penalties_by_path(cases) -> dict[str, dict]:
    """TODO(issue 6): no penalty model yet — returns nothing, so the table shows 0 penalties.

    Once oversight.Penalty exists, aggregate count and amount (万元) per case jurisdiction_path here
    (the field names below are a guess to adjust when wiring)."""
    model = _model("Penalty")
    if model is None:
        return {}
    rows = (
        model.objects.filter(case__in=cases.values("pk"))
        .values("case__jurisdiction_path")
        .annotate(n=Count("pk"), amount=Sum("amount"))
    )
    return {
        r["case__jurisdiction_path"]: {"penalties": r["n"], "penalty_amount": r["amount"] or Decimal(0)}
        for r in rows
    }


def warnings_by_path(cases) -> dict[str, dict]:
    """TODO(issue 6): no warning model yet — returns nothing, so the dashboard shows 0 warnings."""
    model = _model("Warning")
    if model is None:
        return {}
    rows = (
        model.objects.filter(case__in=cases.values("pk"))
        .values("case__jurisdiction_path")
        .annotate(n=Count("pk"))
    )
    return {r["case__jurisdiction_path"]: {"warnings": r["n"]} for r in rows}
