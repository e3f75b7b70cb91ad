"""Reads of discharge permits: an enterprise's permits, the one in force on a day, and its limits as a
disclosure keeps them."""

import datetime

from qingshen.registry.permit_models import Permit


def permits_of(enterprise) -> list[Permit]:
    return list(enterprise.permits.prefetch_related("pollutants"))


def permit_current(enterprise, day: datetime.date) -> Permit | None:
    """The permit in force on `day` (the latest-ending one when several are)."""
    return (
        Permit.objects.filter(enterprise=enterprise, valid_from__lte=day, valid_to__gte=day)
        .prefetch_related("pollutants")
        .order_by("-valid_to", "pk")
        .first()
    )


def limit_key(row: dict) -> str:
    """A permitted pollutant's key in a disclosure (outlet, pollutant, unit): stable across edits of the limit."""
    return f"{row['outlet']}|{row['pollutant']}|{row['unit']}"


def permitted_limits(enterprise, day: datetime.date) -> dict | None:
    """The permit in force on `day` and its limits, as a disclosure keeps them; None without one."""
    permit = permit_current(enterprise, day)
    if permit is None:
        return None
    rows = [
        {
            "pollutant": p.pollutant,
            "outlet": p.outlet,
            "limit": f"{p.limit_value.normalize():f}",
            "unit": p.unit,
        }
        for p in permit.pollutants.all()
    ]
    for row in rows:
        row["key"] = limit_key(row)
    return {"number": permit.number, "valid_to": str(permit.valid_to), "rows": rows}
