"""Writes of the case counts per totals cell (models/counts.py), in the transaction of the change.

An ordinary save of a case (a step: same cell, path and listing) moves its one case from its old
bucket to its new one (count_deltas.py): a few statements whatever the cell's size, and no wait on the
cell's other changes. Creation, deletion, a move between cells and a listing edited rewrite the cells
concerned from their cases, under the cell's row lock; so do the set-based writes (historical import,
the sweep's due dates) for the cells they touched, and `manage.py rebuild_counts` for all. A rewrite and
a delta give the same buckets (bucket_key), so either may follow the other.
"""

import datetime
import hashlib
import json

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    When,
)
from django.db.models.functions import JSONObject
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from qingshen.cases import count_deltas
from qingshen.cases.models import AuditCase, CaseCount, RollupCell
from qingshen.cases.signals import case_cell_counted
from qingshen.cases.states import CLOSED_STATES
from qingshen.trail.services import event_record

CELL_FIELDS = ("programme_id", "jurisdiction_id", "kind")
# The case fields the counts are taken from: a save of none of them leaves its cell as it was.
COUNTED_FIELDS = {
    "programme",
    "programme_id",
    "jurisdiction",
    "jurisdiction_id",
    "kind",
    "jurisdiction_path",
    "state",
    "listing",
    "listing_id",
    "level",
    "next_due_on",
    "accepted_on",
    "disclosed_on",
    "audit_started_on",
    "report_submitted_on",
}


def counted_rows(cases, today: datetime.date):
    """`cases` grouped as a CaseCount row each (also run on the migration's model of the cases).

    The listing's fields are read per case through its key rather than joined: a cell's few thousand
    cases probe the listings' primary key, where a join hashes the listings of every year."""
    open_ = ~Q(state__in=sorted(CLOSED_STATES))
    due = Case(When(open_, then=F("next_due_on")), default=None, output_field=DateField())
    listing = cases.model._meta.get_field("listing").related_model
    # One probe per case, for the three fields at once.
    of_listing = Subquery(
        listing.objects.filter(pk=OuterRef("listing_id"))
        .order_by()
        .values(
            fields=JSONObject(
                lead="lead_authority",
                grounds="grounds",
                carried=ExpressionWrapper(Q(carried_from__isnull=False), output_field=BooleanField()),
            )
        )[:1],
        output_field=JSONField(),
    )
    return (
        cases.order_by()
        .annotate(due=due, listed=of_listing)
        .values(
            "programme_id", "jurisdiction_id", "kind", "jurisdiction_path", "state", "listed", "level", "due"
        )
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
            disclosed=Count("pk", filter=Q(disclosed_on__isnull=False)),
            started=Count("pk", filter=Q(audit_started_on__isnull=False)),
            reports=Count("pk", filter=Q(report_submitted_on__isnull=False)),
        )
    )


def listed(r) -> tuple:
    """(lead authority or "", grounds, carried over) of a counted_rows row (a voluntary audit has no
    listing: "", None, False)."""
    fields = r["listed"]
    if isinstance(fields, str):  # a backend that returns the object as text
        fields = json.loads(fields)
    fields = fields or {}
    grounds = fields.get("grounds")
    if isinstance(grounds, str):  # SQLite nests the JSON column as its text
        grounds = json.loads(grounds)
    return fields.get("lead") or "", grounds, bool(fields.get("carried"))


def bucket_key(path, state, lead, grounds, level, due) -> str:
    """The one CaseCount row of a cell that counts the cases of these values (due: None if closed)."""
    text = json.dumps(
        [path, state, lead or "", grounds, level or "", due.isoformat() if due else None],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


SUMS = ("cases", "accepted", "disclosed", "started", "reports", "carried_over")


def counted(model, cell, r):
    lead, grounds, carried = listed(r)
    return model(
        cell=cell,
        key=bucket_key(r["jurisdiction_path"], r["state"], lead, grounds, r["level"], r["due"]),
        jurisdiction_path=r["jurisdiction_path"],
        state=r["state"],
        lead_authority=lead,
        grounds=grounds,
        level=r["level"] or "",
        due_on=r["due"],
        cases=r["n"],
        accepted=r["accepted"],
        disclosed=r["disclosed"],
        started=r["started"],
        reports=r["reports"],
        carried_over=r["n"] if carried else 0,
    )


def counted_buckets(model, cell, rows) -> list:
    """The CaseCount rows of a cell from its counted_rows, one per bucket (a carried-over listing and
    another of the same grounds are grouped apart by the query, counted in one bucket), by key."""
    out = {}
    for r in rows:
        row = counted(model, cell, r)
        have = out.setdefault(row.key, row)
        if have is not row:
            for name in SUMS:
                setattr(have, name, getattr(have, name) + getattr(row, name))
    return [out[k] for k in sorted(out)]


def case_counts_refresh(
    *, programme_id: int, jurisdiction_id: int, case_kind: str, today=None, moved: bool = True
) -> None:
    """Rewrite one cell. `moved`: a case may have entered or left it, or changed path or listing, so
    what the floors above count per cell is rewritten too (case_cell_counted)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        cell, _created = RollupCell.objects.get_or_create(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=case_kind
        )
        cell = RollupCell.objects.select_for_update().get(pk=cell.pk)
        CaseCount.objects.filter(cell=cell).delete()
        cases = AuditCase.objects.filter(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, kind=case_kind
        )
        CaseCount.objects.bulk_create(counted_buckets(CaseCount, cell, counted_rows(cases, today)))
        if moved:
            case_cell_counted.send(
                sender=CaseCount,
                programme_id=programme_id,
                jurisdiction_id=jurisdiction_id,
                case_kind=case_kind,
            )


def case_counts_refresh_for(cases, *, moved: bool = True) -> int:
    """Rewrite the cells of these cases (a queryset), e.g. after a set-based update of them; `moved`
    as for case_counts_refresh (False when only their dates changed)."""
    cells = set(cases.order_by().values_list(*CELL_FIELDS).distinct())
    for programme_id, jurisdiction_id, kind in sorted(cells):
        case_counts_refresh(
            programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind, moved=moved
        )
    return len(cells)


def case_counts_rebuild() -> int:
    """Rewrite every cell that has cases (and empty those that no longer have any)."""
    cells = set(AuditCase.objects.order_by().values_list(*CELL_FIELDS).distinct())
    cells |= set(
        CaseCount.objects.order_by()
        .values_list("cell__programme_id", "cell__jurisdiction_id", "cell__case_kind")
        .distinct()
    )
    for programme_id, jurisdiction_id, kind in sorted(cells):
        case_counts_refresh(programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind)
    # Every change writes an event; the dashboard's cache is keyed on the newest one.
    event_record(action="cases.counts.rebuild", actor_name="system", after={"cells": len(cells)})
    return len(cells)


def _cell(case) -> tuple:
    return tuple(case.__dict__.get(f) for f in CELL_FIELDS)


def _place(case) -> tuple:
    # Where the floors above count a case's records: its cell, path and listing.
    return (*_cell(case), case.__dict__.get("jurisdiction_path"), case.__dict__.get("listing_id"))


def _remember_cell(sender, instance, **kwargs):
    instance._counted_cell = _cell(instance)
    instance._counted_place = _place(instance)
    instance._counted_before = count_deltas.case_counted_remember(instance)


def _counts_concerned(raw, update_fields) -> bool:
    return not raw and (update_fields is None or bool(COUNTED_FIELDS & set(update_fields)))


def _on_case_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not _counts_concerned(raw, update_fields):
        return
    before = getattr(instance, "_counted_before", None)
    applied = None
    if before is not None and not kwargs.get("created"):
        applied = count_deltas.case_delta_apply(instance, before, update_fields)
        if applied:
            _remember_cell(sender, instance)
            instance._counted_before = count_deltas.case_counted_after(instance, before, update_fields)
            return
    # Created, moved, or no delta possible: rewrite the cells it is in and was in.
    cells = {_cell(instance), getattr(instance, "_counted_cell", None)}
    if before is not None:
        cells.add(tuple(before[f] for f in CELL_FIELDS))
    moved = (
        kwargs.get("created")
        or applied is False
        or getattr(instance, "_counted_place", None) != _place(instance)
    )
    for cell in sorted(c for c in cells if c and None not in c):
        case_counts_refresh(programme_id=cell[0], jurisdiction_id=cell[1], case_kind=cell[2], moved=moved)
    _remember_cell(sender, instance)
    if before is not None:
        instance._counted_before = count_deltas.case_counted_after(instance, before, update_fields)


def _on_case_deleted(sender, instance, **kwargs):
    programme_id, jurisdiction_id, kind = _cell(instance)
    case_counts_refresh(programme_id=programme_id, jurisdiction_id=jurisdiction_id, case_kind=kind)


def _on_listing_saved(sender, instance, raw=False, **kwargs):
    # The lead authority is the listing's (from its grounds): a listing edited after its case exists.
    if not raw:
        case_counts_refresh_for(AuditCase.objects.filter(listing_id=instance.pk))


def connect() -> None:
    post_init.connect(_remember_cell, sender=AuditCase, dispatch_uid="case_counts_init")
    post_save.connect(_on_case_saved, sender=AuditCase, dispatch_uid="case_counts_save")
    post_delete.connect(_on_case_deleted, sender=AuditCase, dispatch_uid="case_counts_delete")
    post_save.connect(_on_listing_saved, sender="programmes.Listing", dispatch_uid="case_counts_listing")
