"""Applications for evaluation or acceptance and their completeness check (受理/不予受理).

Each checklist item is stored as a document of its own type (ChecklistItem.document_kind), with its
own line of versions; an item may hand in a current document the case already holds (the audit
report uploaded earlier, the technical review opinion the system issued) instead of a new upload.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases import services as case_services
from qingshen.cases.documents import document_lock_for_review, document_store
from qingshen.cases.errors import CaseNotFound
from qingshen.cases.lifecycle import ReviewStep, review_action, transition_get
from qingshen.cases.models import Document
from qingshen.core.files.stored import removed_on_failure
from qingshen.reviews import notices, scoping, selectors
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import ChecklistItem, Review, ReviewKind, ReviewMaterial
from qingshen.reviews.rows import _day, _locked_review
from qingshen.reviews.signals import complete_application_refused
from qingshen.trail.services import event_record


def item_candidates(case, item: ChecklistItem) -> list[Document]:
    """The case's current documents of the item's type, newest first."""
    return list(
        Document.objects.filter(case=case, kind=item.document_kind, superseded_by__isnull=True).order_by(
            "-uploaded_at", "-pk"
        )
    )


def _shares_kind(item: ChecklistItem, items) -> bool:
    return sum(i.document_kind == item.document_kind for i in items) > 1


def _own_current(case, item: ChecklistItem) -> Document | None:
    """The current document this item was handed in as in an earlier application of the case."""
    material = (
        ReviewMaterial.objects.filter(
            review__case=case,
            item__kind=item.kind,
            item__code=item.code,
            document__superseded_by__isnull=True,
        )
        .select_related("document")
        .order_by("-review__pk")
        .first()
    )
    return material.document if material else None


def _free(item: ChecklistItem, candidates) -> list[Document]:
    """The candidates not handed in for another item (of this checklist or the other review kind's):
    the evaluation's application form is not the acceptance's."""
    others = set(
        ReviewMaterial.objects.filter(document__in=candidates)
        .exclude(item__kind=item.kind, item__code=item.code)
        .values_list("document_id", flat=True)
    )
    return [c for c in candidates if c.pk not in others]


def item_preselected(case, item: ChecklistItem, items, candidates) -> Document | None:
    """What the apply form offers first: the item's own earlier document if still current; else the one
    current document of the type (a generated PDF before its DOCX twin) that no other item handed in,
    unless items of the checklist share the type."""
    own = _own_current(case, item)
    if own is not None and any(c.pk == own.pk for c in candidates):
        return own
    if _shares_kind(item, items):
        return None
    candidates = _free(item, candidates)
    if len(candidates) == 1:
        return candidates[0]
    pdfs = [c for c in candidates if c.content_type == "pdf"]
    stem = pdfs[0].original_name.rsplit(".", 1)[0] if len(pdfs) == 1 else None
    if stem and all(c.original_name.rsplit(".", 1)[0] == stem for c in candidates):
        return pdfs[0]
    return None


def _predecessor(case, item: ChecklistItem, items) -> Document | None:
    """Which current document a new upload for `item` supersedes: its own earlier one; else, when no
    other item of the checklist shares the type, the newest current one of the type that no other item
    handed in; else none."""
    own = _own_current(case, item)
    if own is not None:
        return own
    if _shares_kind(item, items):
        return None
    free = _free(item, item_candidates(case, item))
    return max(free, key=lambda d: d.version) if free else None


def _chosen_document(case, item: ChecklistItem, document_id, taken: set) -> Document:
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        pk = None
    doc = next((d for d in item_candidates(case, item) if d.pk == pk), None)
    if doc is None:
        raise ReviewRefused(
            _("“%(item)s”: choose a current document of the case of the type “%(kind)s”, or upload one.")
            % {"item": item.name, "kind": Document.Kind(item.document_kind).label}
        )
    if doc.pk in taken:
        raise ReviewRefused(
            _("“%(item)s”: that document is already handed in for another item.") % {"item": item.name}
        )
    return doc


def review_apply(
    *,
    case_id: int,
    actor,
    kind: str,
    materials: dict,
    existing: dict | None = None,
    effective_on: datetime.date | None = None,
) -> Review:
    """The enterprise (or its agency) applies with the checklist's materials: `materials` maps an item's
    code to an upload, `existing` to the id of a current document of the case (an upload wins).

    The case moves to *_applied, each upload is stored as its item's type and tied to its item, and
    every material is locked as used in a review; all or nothing (stored files are removed on failure).
    """
    if kind not in ReviewKind.values:
        raise ReviewRefused(_("Unknown review kind."))
    existing = {c: d for c, d in (existing or {}).items() if d not in (None, "") and not materials.get(c)}
    with removed_on_failure() as stored, transaction.atomic():
        case = cases_scoping.cases_visible(actor).filter(pk=case_id).first()
        if case is None:
            raise CaseNotFound()
        if not cases_scoping.may_apply_for_review(actor, case):
            raise ReviewRefused(_("Only the enterprise or its agency applies."))
        items = selectors.checklist_for(kind)
        by_code = {i.code: i for i in items}
        unknown = sorted((set(materials) | set(existing)) - set(by_code))
        if unknown:
            raise ReviewRefused(_("Unknown checklist items: %(codes)s.") % {"codes": "、".join(unknown)})
        # The transition first: it locks the case, so a second application at once is refused here.
        case = case_services.case_transition(
            case_id=case.pk,
            actor=actor,
            action=review_action(kind, ReviewStep.APPLY),
            effective_on=effective_on,
        )
        review = Review.objects.create(case=case, kind=kind, applied_by=actor, applied_on=_day(effective_on))
        taken: set[int] = set()
        chosen = {}
        for code, document_id in existing.items():
            doc = _chosen_document(case, by_code[code], document_id, taken)
            taken.add(doc.pk)
            chosen[code] = doc
        for item in items:
            upload = materials.get(item.code)
            if upload:
                doc = _store_upload(case, item, items, upload, actor)
                stored.add(doc.file)
            elif item.code in chosen:
                doc = chosen[item.code]
            else:
                continue
            ReviewMaterial.objects.create(review=review, item=item, document=doc)
            document_lock_for_review(document=doc, actor=actor, review=review)
        event_record(
            action="review.apply",
            actor=actor,
            obj=review,
            after={
                "case": case.pk,
                "kind": kind,
                "materials": sorted(c for c, u in materials.items() if u),
                "existing": {c: d.pk for c, d in sorted(chosen.items())},
            },
        )
        notices.application_received(review=review, actor=actor)
        return review


def _store_upload(case, item: ChecklistItem, items, upload, actor) -> Document:
    if item.document_kind in Document.ISSUED_KINDS:
        # The bureau's documents are never superseded by an upload; one may be handed in only where
        # the system holds none (an evaluation concluded before the system was used).
        if item_candidates(case, item):
            raise ReviewRefused(
                _("“%(item)s”: the system already holds this document; choose it instead of uploading.")
                % {"item": item.name}
            )
        supersedes = None
    else:
        supersedes = _predecessor(case, item, items)
    return document_store(
        case=case, kind=item.document_kind, upload=upload, actor=actor, supersedes=supersedes
    )


@transaction.atomic
def review_check(
    *,
    review_id: int,
    actor,
    accept: bool,
    missing: list[str] | tuple = (),
    reason: str = "",
    override_reason: str = "",
    effective_on: datetime.date | None = None,
) -> Review:
    """The completeness check: accept (受理) or refuse (不予受理) naming the missing items.

    Refusing an application whose checklist is complete needs `override_reason` and opens an
    accountability case (追责情形).
    """
    review = _locked_review(review_id=review_id, actor=actor)
    if not scoping.may_organise_review(actor, review):
        raise ReviewRefused(_("Only the bureau that organises this case’s reviews checks its applications."))
    if review.status != Review.Status.APPLIED:
        raise ReviewRefused(
            _("This application was already checked: “%(status)s”.") % {"status": review.get_status_display()}
        )
    computed = selectors.missing_items(review)
    items = {i.code: i for i in selectors.checklist_for(review.kind)}
    named = [items[c] for c in missing if c in items]
    if any(c not in items for c in missing):
        raise ReviewRefused(_("Unknown checklist items."))
    reason, override_reason = reason.strip(), override_reason.strip()
    day = _day(effective_on)
    if accept:
        if computed:
            raise ReviewRefused(
                _("The application lacks: %(items)s. It cannot be accepted.")
                % {"items": "、".join(i.name for i in computed)}
            )
        case_services.case_transition(
            case_id=review.case_id,
            actor=actor,
            action=review_action(review.kind, ReviewStep.ACCEPT),
            effective_on=day,
        )
        review.status = Review.Status.ACCEPTED
    else:
        lacking = list(dict.fromkeys([*computed, *named]))
        if not computed and not override_reason:
            raise ReviewRefused(
                _(
                    "The checklist is complete. Refusing it needs an explicit override with a reason, "
                    "and it is recorded as an accountability case."
                )
            )
        if not lacking and not reason and not override_reason:
            raise ReviewRefused(_("Name the missing materials or give a reason."))
        parts = (
            [_("Missing or deficient: %(items)s.") % {"items": "、".join(i.name for i in lacking)}]
            if lacking
            else []
        )
        parts += [x for x in (reason, override_reason) if x]
        full_reason = "\n".join(parts)
        case_services.case_transition(
            case_id=review.case_id,
            actor=actor,
            action=review_action(review.kind, ReviewStep.REFUSE),
            reason=full_reason,
            effective_on=day,
        )
        review.status = Review.Status.REFUSED
        review.missing_items = [i.code for i in lacking]
        review.refusal_reason = full_reason
        review.override_reason = override_reason
        if not computed:
            complete_application_refused.send(
                sender=Review,
                case=review.case,
                duty=str(transition_get(review_action(review.kind, ReviewStep.REFUSE)).label),
                explanation=override_reason,
                actor=actor,
            )
    review.checked_by, review.checked_on = actor, day
    review.save()
    event_record(
        action="review.check",
        actor=actor,
        obj=review,
        after={"status": review.status, "missing": review.missing_items, "override": bool(override_reason)},
        note=review.refusal_reason,
    )
    if review.status == Review.Status.ACCEPTED:
        notices.application_accepted(review=review, actor=actor)
    else:
        notices.application_refused(review=review, actor=actor)
    return review
