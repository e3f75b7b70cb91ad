"""Counts that come from the oversight records, per jurisdiction path.

Each returns {case jurisdiction_path: {figure key: value}} from one aggregate query.
"""

from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Sum

YUAN_PER_WAN = Decimal(10_000)  # the table reports money in 万元; fines are recorded in yuan


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
    """Penalties imposed (fined or name published) on the programme's cases: count and fines in 万元."""
    from qingshen.oversight.models import Penalty

    rows = (
        Penalty.objects.filter(case__in=cases.values("pk"), state=Penalty.State.PENALISED)
        .values("case__jurisdiction_path")
        .annotate(n=Count("pk"), amount=Sum("fine"))
    )
    return {
        r["case__jurisdiction_path"]: {
            "penalties": r["n"],
            "penalty_amount": Decimal(r["amount"] or 0) / YUAN_PER_WAN,
        }
        for r in rows
    }


def warnings_by_path(cases) -> dict[str, dict]:
    """Early warnings recorded by the sweep for the cases' deadlines."""
    from qingshen.oversight.models import Warning

    rows = (
        Warning.objects.filter(case__in=cases.values("pk"))
        .values("case__jurisdiction_path")
        .annotate(n=Count("pk"))
    )
    return {r["case__jurisdiction_path"]: {"warnings": r["n"]} for r in rows}
