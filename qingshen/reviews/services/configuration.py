"""The city's configuration of reviews: the checklists of each kind and the rubric versions.

A rubric in use is never edited: the city adds a version, in use for panels drawn from then on; the
text format and its checks are qingshen.reviews.rubric_text's.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.cases.models import Document
from qingshen.reviews import rubric_text, scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import ChecklistItem, ReviewKind, Rubric, RubricItem
from qingshen.trail.services import event_record


@transaction.atomic
def checklist_item_add(
    *, actor, kind: str, name: str, required: bool = True, source: str = "", document_kind: str = "other"
) -> ChecklistItem:
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Unknown review kind."))
    if document_kind not in Document.Kind.values:
        raise ReviewRefused(_("Unknown document type."))
    name = name.strip()
    if not name:
        raise ReviewRefused(_("Name the material."))
    existing = ChecklistItem.objects.filter(kind=kind)
    code = f"item-{existing.count() + 1}"
    while existing.filter(code=code).exists():
        code += "x"
    last = existing.order_by("-order").values_list("order", flat=True).first() or 0
    item = ChecklistItem.objects.create(
        kind=kind,
        code=code,
        name=name[:200],
        required=required,
        source=source.strip(),
        order=last + 1,
        document_kind=document_kind,
    )
    event_record(
        action="review.checklist.add",
        actor=actor,
        obj=item,
        after={"kind": kind, "name": item.name, "document_kind": document_kind},
    )
    return item


@transaction.atomic
def checklist_item_update(*, actor, item_id: int, required: bool, is_active: bool) -> ChecklistItem:
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    item = ChecklistItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise ReviewNotFound()
    before = {"required": item.required, "is_active": item.is_active}
    item.required, item.is_active = required, is_active
    item.save(update_fields=["required", "is_active"])
    event_record(
        action="review.checklist.update",
        actor=actor,
        obj=item,
        before=before,
        after={"required": required, "is_active": is_active},
    )
    return item


def _marks(pass_mark, bonus_max, errors: list):
    values = []
    for raw, field_name in ((pass_mark, "pass_mark"), (bonus_max, "bonus_max")):
        try:
            values.append(rubric_text.mark_parse(raw, field_name))
        except ReviewRefused as exc:
            if exc.message not in errors:
                errors.append(exc.message)
            values.append(None)
    return values


@transaction.atomic
def rubric_version_create(
    *,
    actor,
    kind: str,
    name: str,
    lines: str,
    pass_mark,
    pass_mark_source: str,
    bonus_max,
    veto_unmet_targets: bool = True,
) -> Rubric:
    """A new version of the kind's rubric, in use for panels drawn from now on; drawn panels keep theirs."""
    if not scoping.may_configure_reviews(actor):
        raise ReviewNotFound()
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Unknown review kind."))
    items, errors = rubric_text.rubric_lines_parse(lines)
    pass_mark, bonus_max = _marks(pass_mark, bonus_max, errors)
    if not pass_mark_source.strip():
        errors.append(_("Give the source of the pass mark."))
    if errors:
        raise ReviewRefused(" ".join(errors))
    latest = Rubric.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    Rubric.objects.filter(kind=kind, is_active=True).update(is_active=False)
    rubric = Rubric.objects.create(
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        name=(name.strip() or (latest.name if latest else ""))[:200],
        pass_mark=pass_mark,
        pass_mark_source=pass_mark_source.strip(),
        bonus_max=bonus_max,
        veto_unmet_targets=bool(veto_unmet_targets),
    )
    RubricItem.objects.bulk_create(
        RubricItem(rubric=rubric, order=n, **i) for n, i in enumerate(items, start=1)
    )
    event_record(
        action="review.rubric.version",
        actor=actor,
        obj=rubric,
        after={
            "kind": kind,
            "version": rubric.version,
            "pass_mark": pass_mark,
            "items": len(items),
            "veto_unmet_targets": rubric.veto_unmet_targets,
        },
    )
    return rubric
