"""Writes of the warning and accountability counts (count_models.py), exact by construction.

Case warnings are only ever inserted, by warnings_record: it rewrites their counts from the warnings in
its own transaction whenever it recorded any. An accountability record saved or deleted rewrites the
counts of its case's totals cell, under the cell's row lock. `manage.py rebuild_counts` rewrites both."""

from django.db import transaction
from django.db.models import Count, F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qingshen.cases.models import AuditCase, RollupCell
from qingshen.oversight.count_models import AccountabilityCount, WarningCount
from qingshen.oversight.models import AccountabilityRecord, Warning


def warning_counts_rebuild() -> int:
    with transaction.atomic():
        # Rewrites serialise on the table: two sweeps at once cannot interleave their rows.
        list(WarningCount.objects.select_for_update().values_list("pk", flat=True))
        WarningCount.objects.all().delete()
        rows = (
            Warning.objects.filter(case__isnull=False)
            .order_by()
            .values("programme_id", "jurisdiction_path", case_kind=F("case__kind"))
            .annotate(n=Count("pk"))
        )
        made = WarningCount.objects.bulk_create(
            WarningCount(
                programme_id=r["programme_id"],
                case_kind=r["case_kind"],
                jurisdiction_path=r["jurisdiction_path"],
                warnings=r["n"],
            )
            for r in rows
        )
    return len(made)


def accountability_counts_refresh(*, programme_id: int, jurisdiction_id: int, case_kind: str) -> None:
    with transaction.atomic():
        cell, _created = RollupCell.objects.get_or_create(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind
        )
        cell = RollupCell.objects.select_for_update().get(pk=cell.pk)
        AccountabilityCount.objects.filter(cell=cell).delete()
        rows = (
            AccountabilityRecord.objects.filter(
                case__programme_id=programme_id, case__jurisdiction_id=jurisdiction_id, case__kind=case_kind
            )
            .order_by()
            .values(path=F("case__jurisdiction_path"), lead=F("case__listing__lead_authority"))
            .annotate(n=Count("pk"))
        )
        AccountabilityCount.objects.bulk_create(
            AccountabilityCount(
                cell=cell, jurisdiction_path=r["path"], lead_authority=r["lead"] or "", records=r["n"]
            )
            for r in rows
        )


def accountability_counts_rebuild() -> int:
    cells = set(
        AccountabilityRecord.objects.filter(case__isnull=False)
        .order_by()
        .values_list("case__programme_id", "case__jurisdiction_id", "case__kind")
        .distinct()
    )
    cells |= set(
        AccountabilityCount.objects.values_list(
            "cell__programme_id", "cell__jurisdiction_id", "cell__case_kind"
        )
    )
    for programme_id, jurisdiction_id, kind in sorted(cells):
        accountability_counts_refresh(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind
        )
    return len(cells)


@receiver(post_save, sender=AccountabilityRecord, dispatch_uid="oversight-accountability-counts-save")
@receiver(post_delete, sender=AccountabilityRecord, dispatch_uid="oversight-accountability-counts-delete")
def _record_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.case_id is None:
        return
    cell = AuditCase.objects.filter(pk=instance.case_id).values_list(
        "programme_id", "jurisdiction_id", "kind"
    )
    for programme_id, jurisdiction_id, kind in cell:
        accountability_counts_refresh(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind
        )
