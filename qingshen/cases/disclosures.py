"""Writes on the Art. 11 disclosure. Submitting is the `disclose` transition (services.case_transition)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.disclosure_fields import fields_for, missing_items
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.models import AuditCase, Disclosure, Document
from qingshen.core.files.stored import removed_on_failure
from qingshen.trail.services import event_record

MAX_ITEM_LENGTH = 4000


def _clean_content(grounds, content: dict) -> dict:
    """Only the items of the listing's grounds, trimmed; a too-long item is refused."""
    result = {}
    for _section, field in fields_for(grounds):
        value = str(content.get(field.key, "") or "").strip()
        if len(value) > MAX_ITEM_LENGTH:
            raise TransitionRefused(
                _("“%(item)s” is longer than %(n)s characters.") % {"item": field.label, "n": MAX_ITEM_LENGTH}
            )
        result[field.key] = value
    return result


def disclosure_save(
    *, case: AuditCase, actor, content: dict, published_where: str = "", proof_upload=None
) -> Disclosure:
    """Save the draft (and a new proof of publication, if one is given). Nothing changes on refusal."""
    from qingshen.cases.documents import document_store

    if not scoping.may_edit_case_materials(actor, case):
        raise CaseNotFound()
    with removed_on_failure() as stored, transaction.atomic():
        locked = AuditCase.objects.select_for_update().get(pk=case.pk)
        disclosure = Disclosure.objects.select_for_update().filter(case=locked).first()
        if disclosure is not None and disclosure.status == Disclosure.Status.SUBMITTED:
            raise TransitionRefused(
                _("The disclosure is submitted and published; it can no longer be changed.")
            )
        grounds = list(locked.listing.grounds)
        cleaned = _clean_content(grounds, content)
        before = None
        if disclosure is None:
            disclosure = Disclosure(case=locked)
        else:
            before = {"content": disclosure.content, "proof": disclosure.proof_id}
        if proof_upload is not None:
            doc = document_store(
                case=locked, kind=Document.Kind.DISCLOSURE_PROOF, upload=proof_upload, actor=actor
            )
            stored.add(doc.file)
            disclosure.proof = doc
        disclosure.grounds = grounds
        disclosure.content = cleaned
        disclosure.published_where = (published_where or "").strip()[:300]
        disclosure.updated_by = actor
        disclosure.save()
        event_record(
            action="disclosure.save",
            actor=actor,
            obj=disclosure,
            before=before,
            after={"case": locked.pk, "content": cleaned, "proof": disclosure.proof_id},
        )
        return disclosure


def disclosure_check_and_submit(*, case: AuditCase, actor, day: datetime.date) -> Disclosure:
    """The guard of the `disclose` transition, run inside case_transition's transaction with the case
    locked: a complete disclosure with its proof is required; it becomes submitted (and public)."""
    disclosure = Disclosure.objects.select_for_update().filter(case=case).first()
    form = (reverse("case-disclosure", args=[case.pk]), _("Open the disclosure form"))
    if disclosure is None or disclosure.status != Disclosure.Status.DRAFT:
        raise TransitionRefused(
            _("Fill in the disclosure form first and upload the proof of publication."), link=form
        )
    grounds = list(case.listing.grounds)
    missing = missing_items(grounds, disclosure.content)
    if missing:
        raise TransitionRefused(
            _("The disclosure form still lacks: %(items)s. Complete it on the form.")
            % {"items": "、".join(missing)},
            link=form,
        )
    if disclosure.proof_id is None:
        raise TransitionRefused(
            _("Upload the proof of publication (a screenshot or scan of the media or website) on the form."),
            link=form,
        )
    disclosure.status = Disclosure.Status.SUBMITTED
    disclosure.grounds = grounds
    disclosure.submitted_on = day
    disclosure.submitted_by = actor
    disclosure.save()
    event_record(action="disclosure.submit", actor=actor, obj=disclosure, after={"case": case.pk, "on": day})
    return disclosure


def disclosure_submit(*, case_id: int, actor, effective_on: datetime.date | None = None, comment: str = ""):
    """Submit and publish the disclosure: the lifecycle's `disclose` step."""
    from qingshen.cases.services import case_transition

    return case_transition(
        case_id=case_id, actor=actor, action="disclose", effective_on=effective_on, comment=comment
    )


def disclosure_minimal_content(case: AuditCase) -> dict:
    """The form's first values (and a complete disclosure for the demo and tests): the enterprise's facts and a line per item."""
    ent = case.enterprise
    facts = {"enterprise_name": ent.name, "legal_representative": ent.legal_representative or "—",
             "address": ent.address or "—"}  # fmt: skip
    return {
        f.key: facts.get(f.key, "见企业网站公开的详细数据。") for _s, f in fields_for(case.listing.grounds)
    }
