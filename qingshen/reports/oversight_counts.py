"""Counts that come from the oversight records, per jurisdiction path.

Each takes `scope`, a condition on the record's case (e.g. Q(case__in=...) or scoping.case_scope(user,
"case__")), and returns {case jurisdiction_path: {figure key: value}} from one aggregate query; `by`
groups on another field of the case instead (e.g. "listing__lead_authority").
"""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum

YUAN_PER_WAN = Decimal(10_000)  # the table reports money in 万元; fines are recorded in yuan


def accountability_by_path(scope: Q, by: str = "jurisdiction_path") -> dict[str, dict]:
    from qingshen.oversight.models import AccountabilityRecord

    rows = (
        AccountabilityRecord.objects.filter(scope)
        .order_by()
        .values(key=F(f"case__{by}"))
        .annotate(n=Count("pk"))
    )
    return {r["key"]: {"accountability": r["n"]} for r in rows}


def penalties_by_path(scope: Q, by: str = "jurisdiction_path") -> dict[str, dict]:
    """Penalties imposed (fined or name published) on the programme's cases: count and fines in 万元."""
    from qingshen.oversight.models import Penalty

    rows = (
        Penalty.objects.filter(scope, state=Penalty.State.PENALISED)
        .order_by()
        .values(key=F(f"case__{by}"))
        .annotate(n=Count("pk"), amount=Sum("fine"))
    )
    return {
        r["key"]: {
            "penalties": r["n"],
            "penalty_amount": Decimal(r["amount"] or 0) / YUAN_PER_WAN,
        }
        for r in rows
    }
