"""The panel's request for revision (修改完善): the chair lists what to revise with a deadline (the rule
review_revision_days by default), the enterprise hands in its revised report (a new version of the
audit report), the chair signs it off. The conclusion waits for every request to be signed off
(services.conclusion). Lock order: the review, then the request."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from qingshen.core.files.stored import removed_on_failure
from qingshen.procedures.rules import RuleMissing, due_from, rule_get
from qingshen.reviews import notices, scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import PanelSeat, Review, RevisionRequest
from qingshen.reviews.rows import _locked_review
from qingshen.trail.services import event_record

REVISION_DAYS = "review_revision_days"
ITEMS_MAX = 30


def revision_default_due(start: datetime.date) -> datetime.date:
    try:
        return due_from(rule=rule_get(REVISION_DAYS), start=start).date
    except RuleMissing as exc:
        raise ReviewRefused(
            _("The rule “%(code)s” is missing: ask the system administrator to restore it.")
            % {"code": REVISION_DAYS}
        ) from exc


def _chair_of(review: Review, actor) -> PanelSeat:
    chair = PanelSeat.objects.filter(
        panel__review=review, is_chair=True, status=PanelSeat.Status.ACCEPTED, expert__user=actor
    ).first()
    if chair is None:
        raise ReviewRefused(_("Only the chair of the panel asks for revisions and signs them off."))
    return chair


@transaction.atomic
def revision_request(
    *, review_id: int, actor, items, due_on: datetime.date | None = None, today: datetime.date | None = None
) -> RevisionRequest:
    """`items`: the points to revise, a list or one per line of a text."""
    review = _locked_review(review_id=review_id, actor=actor)
    _chair_of(review, actor)
    if review.status != Review.Status.ACCEPTED or review.outcome:
        raise ReviewRefused(_("This review is closed."))
    if RevisionRequest.objects.filter(review=review, signed_off_at__isnull=True).exists():
        raise ReviewRefused(_("A request for revision is still open; sign it off before asking again."))
    if isinstance(items, str):
        items = items.splitlines()
    items = [i.strip()[:500] for i in items if i and i.strip()]
    if not items:
        raise ReviewRefused(_("List what the enterprise is to revise, one point per line."))
    if len(items) > ITEMS_MAX:
        raise ReviewRefused(_("At most %(n)s points in one request.") % {"n": ITEMS_MAX})
    today = today or timezone.localdate()
    if due_on is not None and due_on <= today:
        raise ReviewRefused(_("The deadline for the revision must be after today."))
    revision = RevisionRequest.objects.create(
        review=review, items=items, due_on=due_on or revision_default_due(today), requested_by=actor
    )
    event_record(
        action="review.revision.request",
        actor=actor,
        obj=review,
        after={"revision": revision.pk, "items": items, "due_on": revision.due_on},
    )
    notices.revision_requested(revision=revision, actor=actor)
    return revision


def _locked_revision(*, revision_id: int, actor) -> RevisionRequest:
    found = (
        RevisionRequest.objects.filter(review__in=scoping.reviews_visible(actor).values("pk"))
        .filter(pk=revision_id)
        .values_list("review_id", flat=True)
        .first()
    )
    if found is None:
        raise ReviewNotFound()
    _locked_review(review_id=found, actor=actor)
    return RevisionRequest.objects.select_for_update().select_related("review__case").get(pk=revision_id)


def revision_submit(*, revision_id: int, actor, upload) -> RevisionRequest:
    """The enterprise (or its agency) hands in the revised report while the request is open; a second
    upload before the sign-off is a newer version."""
    with removed_on_failure() as stored, transaction.atomic():
        revision = _locked_revision(revision_id=revision_id, actor=actor)
        case = revision.review.case
        if not cases_scoping.may_edit_case_materials(actor, case):
            raise ReviewNotFound()
        if not revision.is_open:
            raise ReviewRefused(_("This request was signed off; nothing more is handed in for it."))
        doc = document_store(case=case, kind=Document.Kind.AUDIT_REPORT, upload=upload, actor=actor)
        stored.add(doc.file)
        revision.document, revision.revised_by, revision.revised_at = doc, actor, timezone.now()
        revision.save(update_fields=["document", "revised_by", "revised_at"])
        event_record(
            action="review.revision.submit",
            actor=actor,
            obj=revision.review,
            after={
                "revision": revision.pk,
                "document": doc.pk,
                "late": timezone.localdate() > revision.due_on,
            },
        )
        return revision


@transaction.atomic
def revision_sign_off(*, revision_id: int, actor, note: str = "") -> RevisionRequest:
    revision = _locked_revision(revision_id=revision_id, actor=actor)
    _chair_of(revision.review, actor)
    if not revision.is_open:
        raise ReviewRefused(_("This request was already signed off."))
    if revision.document_id is None:
        raise ReviewRefused(_("The enterprise has not handed in its revised report yet."))
    revision.signed_off_by, revision.signed_off_at = actor, timezone.now()
    revision.sign_off_note = (note or "").strip()
    revision.save(update_fields=["signed_off_by", "signed_off_at", "sign_off_note"])
    event_record(
        action="review.revision.signoff",
        actor=actor,
        obj=revision.review,
        after={"revision": revision.pk, "document": revision.document_id},
        note=revision.sign_off_note,
    )
    return revision
