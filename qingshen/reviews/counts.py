"""Writes of the concluded reviews per totals cell (count_models.py), in the transaction of the change.

A cell is rewritten from its cases' reviews whenever a review is saved or deleted, and whenever the cases
rewrite their own counts of the cell (cases.signals.case_cell_counted: a case moved, its lead changed),
under the cell's row lock; rewriting rather than adding keeps the counts exact by construction.
`manage.py rebuild_counts` rewrites every cell, these with the cases'."""

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from qingshen.cases.models import AuditCase, RollupCell
from qingshen.cases.signals import case_cell_counted
from qingshen.reviews.count_models import ReviewCount
from qingshen.reviews.models import Review


def review_counts_refresh(*, programme_id: int, jurisdiction_id: int, case_kind: str) -> None:
    with transaction.atomic():
        cell, _created = RollupCell.objects.get_or_create(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind
        )
        cell = RollupCell.objects.select_for_update().get(pk=cell.pk)
        ReviewCount.objects.filter(cell=cell).delete()
        # The cell's cases by key first: their reviews are then read through the reviews' case index,
        # where a join on the cell's condition hashes the concluded reviews of every year.
        cases = list(
            AuditCase.objects.filter(
                programme_id=programme_id, jurisdiction_id=jurisdiction_id, kind=case_kind
            )
            .order_by()
            .values_list("pk", flat=True)
        )
        rows = (
            Review.objects.filter(status=Review.Status.CONCLUDED, case_id__in=cases)
            .order_by()
            .values("case__jurisdiction_path", "case__listing__lead_authority", "kind", "outcome")
            .annotate(year=ExtractYear("concluded_on"), n=Count("pk"))
        )
        ReviewCount.objects.bulk_create(
            ReviewCount(
                cell=cell,
                jurisdiction_path=r["case__jurisdiction_path"],
                lead_authority=r["case__listing__lead_authority"] or "",
                kind=r["kind"],
                outcome=r["outcome"],
                concluded_year=r["year"],
                reviews=r["n"],
            )
            for r in rows
        )


@receiver(case_cell_counted, dispatch_uid="reviews-case-cell-counted")
def _cell_counted(sender, programme_id, jurisdiction_id, case_kind, **kwargs) -> None:
    review_counts_refresh(programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind)


def _counted_as(review) -> tuple:
    return tuple(review.__dict__.get(f) for f in ("case_id", "kind", "status", "outcome", "concluded_on"))


@receiver(post_init, sender=Review, dispatch_uid="reviews-counts-init")
def _remember(sender, instance, **kwargs) -> None:
    instance._counted_as = _counted_as(instance)


@receiver(post_save, sender=Review, dispatch_uid="reviews-counts-save")
@receiver(post_delete, sender=Review, dispatch_uid="reviews-counts-delete")
def _review_changed(sender, instance, raw=False, **kwargs) -> None:
    before = getattr(instance, "_counted_as", None)
    instance._counted_as = _counted_as(instance)
    concluded = Review.Status.CONCLUDED
    # Only concluded reviews are counted: the steps before conclusion leave the counts as they were.
    if raw or (instance.status != concluded and (before is None or before[2] != concluded)):
        return
    if kwargs.get("signal") is post_save and before == instance._counted_as and not kwargs.get("created"):
        return
    cell = AuditCase.objects.filter(pk=instance.case_id).values_list(
        "programme_id", "jurisdiction_id", "kind"
    )
    for programme_id, jurisdiction_id, kind in cell:
        review_counts_refresh(programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind)
