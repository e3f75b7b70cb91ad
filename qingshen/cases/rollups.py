"""Writes of the option and benefit totals per programme and jurisdiction (models/rollups.py).

A cell is rewritten from its options whenever one of its cases' options changes (options.py calls
rollup_refresh in the same transaction), and all cells at once by rollups_rebuild (after bulk loads;
`manage.py rebuild_rollups`). Rewriting rather than adding keeps the totals exact by construction.
"""

from django.db import transaction
from django.db.models import Count, Q, Sum

from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import Benefit, BenefitRollup, Option, OptionRollup, RollupCell
from qingshen.trail.services import event_record


def rollup_refresh(
    *, programme_id: int, jurisdiction_id: int, case_kind: str = CaseKind.MANDATORY
) -> RollupCell:
    with transaction.atomic():
        cell, _created = RollupCell.objects.get_or_create(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind
        )
        cell = RollupCell.objects.select_for_update().get(pk=cell.pk)
        OptionRollup.objects.filter(cell=cell).delete()
        BenefitRollup.objects.filter(cell=cell).delete()
        in_cell = {
            "case__programme_id": programme_id,
            "case__jurisdiction_id": jurisdiction_id,
            "case__kind": case_kind,
        }
        done = Q(status=Option.Status.IMPLEMENTED)
        OptionRollup.objects.bulk_create(
            OptionRollup(
                cell=cell,
                cost_class=r["cost_class"],
                options=r["n"],
                investment=r["inv"] or 0,
                options_done=r["n_done"],
                investment_done=r["inv_done"] or 0,
            )
            for r in Option.objects.filter(**in_cell)
            .exclude(status=Option.Status.DROPPED)
            .order_by()
            .values("cost_class")
            .annotate(
                n=Count("pk"),
                inv=Sum("investment"),
                n_done=Count("pk", filter=done),
                inv_done=Sum("investment", filter=done),
            )
        )
        BenefitRollup.objects.bulk_create(
            BenefitRollup(
                cell=cell, indicator_id=r["indicator_id"], expected=r["e"] or 0, verified=r["v"] or 0
            )
            for r in Benefit.objects.filter(**{f"option__{k}": v for k, v in in_cell.items()})
            .exclude(option__status=Option.Status.DROPPED)
            .order_by()
            .values("indicator_id")
            .annotate(e=Sum("expected"), v=Sum("verified"))
        )
        cell.save(update_fields=["refreshed_at"])
    return cell


def rollup_refresh_for_case(case) -> RollupCell:
    return rollup_refresh(
        programme_id=case.programme_id, jurisdiction_id=case.jurisdiction_id, case_kind=case.kind
    )


def rollups_rebuild() -> int:
    """Rewrite every cell that has options (and empty the cells that no longer have any)."""
    cells = set(
        Option.objects.order_by()
        .values_list("case__programme_id", "case__jurisdiction_id", "case__kind")
        .distinct()
    )
    cells |= set(RollupCell.objects.values_list("programme_id", "jurisdiction_id", "case_kind"))
    for programme_id, jurisdiction_id, case_kind in sorted(cells):
        rollup_refresh(programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind)
    # Every change writes an event; the dashboard's cache is keyed on the newest one.
    event_record(action="cases.rollups.rebuild", actor_name="system", after={"cells": len(cells)})
    return len(cells)
