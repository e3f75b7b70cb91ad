"""Writes on the Art. 11 disclosure. Submitting it is the `disclose` transition, whose guard and effect
are here (named on its row in lifecycle.py; services.disclosure_submit takes it)."""

from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.disclosure_fields import fields_for, missing_items
from qingshen.cases.documents import document_store
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.guards import Step
from qingshen.cases.models import AuditCase, Disclosure, Document
from qingshen.core.files.stored import removed_on_failure
from qingshen.core.plain_reads import columns, instances
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


def _with_permitted_limits(enterprise, grounds, cleaned: dict, actuals: dict | None) -> dict:
    """An emissions disclosure carries the permit's limits in force today, each with the actual figure the
    enterprise gives beside it (keyed by outlet, pollutant and unit); nothing when there is no permit."""
    from django.utils import timezone

    from qingshen.registry.permit_selectors import permitted_limits

    limits = permitted_limits(enterprise, timezone.localdate()) if "emissions" in grounds else None
    if not limits:
        return cleaned
    actuals = actuals or {}
    for row in limits["rows"]:
        row["actual"] = str(actuals.get(row["key"], "") or "").strip()[:100]
    return {**cleaned, "permitted_limits": limits}


def disclosure_save(
    *,
    case: AuditCase,
    actor,
    content: dict,
    published_where: str = "",
    proof_upload=None,
    actuals: dict | None = None,
) -> Disclosure:
    """Save the draft (and a new proof of publication, if one is given). Nothing changes on refusal.
    `actuals`: the actual figure beside each permitted limit (see _with_permitted_limits)."""
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
        cleaned = _with_permitted_limits(
            locked.enterprise, grounds, _clean_content(grounds, content), actuals
        )
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


def _locked_of(case: AuditCase) -> Disclosure | None:
    """The case's disclosure, its row locked: a plain statement (core.plain_reads)."""
    sql = f'SELECT {columns(Disclosure)} FROM "{Disclosure._meta.db_table}" WHERE "case_id" = %s'  # noqa: S608 (the model's names)
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    found = instances(Disclosure, sql, [case.pk])
    return found[0] if found else None


def disclosure_complete(step: Step) -> None:
    """The guard of the `disclose` transition (Art. 11): a complete draft with its proof of publication."""
    case = step.case
    disclosure = _locked_of(case)
    form = (reverse("case-disclosure", args=[case.pk]), _("Open the disclosure form"))
    if disclosure is None or disclosure.status != Disclosure.Status.DRAFT:
        raise TransitionRefused(
            _("Fill in the disclosure form first and upload the proof of publication."), link=form
        )
    missing = missing_items(list(case.listing.grounds), disclosure.content)
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
    disclosure.case = case  # the locked case, so that the log's description reads no more rows
    step.found["disclosure"] = disclosure


def disclosure_publish(step: Step) -> Disclosure:
    """The effect of the `disclose` transition: the draft its guard found becomes submitted, and public."""
    disclosure = step.found["disclosure"]
    disclosure.status = Disclosure.Status.SUBMITTED
    disclosure.grounds = list(step.case.listing.grounds)
    disclosure.submitted_on = step.day
    disclosure.submitted_by = step.actor
    disclosure.save()
    event_record(
        action="disclosure.submit",
        actor=step.actor,
        obj=disclosure,
        after={"case": step.case.pk, "on": step.day},
    )
    return disclosure


def disclosure_minimal_content(case: AuditCase) -> dict:
    """The form's first values (and a complete disclosure for the demo and tests): the enterprise's facts and a line per item."""
    ent = case.enterprise
    facts = {"enterprise_name": ent.name, "legal_representative": ent.legal_representative or "—",
             "address": ent.address or "—"}  # fmt: skip
    return {
        f.key: facts.get(f.key, "见企业网站公开的详细数据。") for _s, f in fields_for(case.listing.grounds)
    }
