"""Changes to a published list (名单调整): an enterprise added with its case, or removed by withdrawing
its case; each with a reason and a supporting document, and the enterprise told."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases.documents import document_store
from qingshen.cases.errors import DocumentRefused
from qingshen.cases.lifecycle import Action
from qingshen.cases.services import case_create_for_listing, case_transition_with_upload
from qingshen.core.errors import Refused
from qingshen.core.files.stored import removed_on_failure
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.listings import grounds_clean
from qingshen.programmes.milestone_cases import programme_cases_bind
from qingshen.programmes.models import Amendment, Listing, Programme
from qingshen.programmes.notify import notify_enterprise
from qingshen.trail.services import event_record


def amendment_add(
    *, programme: Programme, enterprise, grounds, reason: str, upload, actor, other_reason: str = ""
) -> Amendment:
    """Add an enterprise to a published list: a listing, its case (P = today) and the document, together."""
    reason = (reason or "").strip()
    with removed_on_failure() as stored, transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if not scoping.may_amend_list(actor, programme):
            raise ProgrammeError(_("Only the city bureau may amend a published list."))
        if not enterprise.jurisdiction.is_within(programme.city):
            raise ProgrammeError(_("The enterprise is not in this city."))
        if not reason:
            raise ProgrammeError(_("An amendment needs a reason."))
        if upload is None:
            raise ProgrammeError(_("An amendment needs a supporting document."))
        cleaned = grounds_clean(grounds, other_reason)
        if programme.listings.filter(enterprise=enterprise).exists():
            raise ProgrammeError(_("%(name)s is already on this list.") % {"name": enterprise.name})
        listing = Listing.objects.create(
            programme=programme,
            enterprise=enterprise,
            grounds=cleaned,
            other_reason=other_reason.strip(),
            note=reason[:300],
            proposed_by=actor,
        )
        case = case_create_for_listing(listing=listing, published_on=timezone.localdate(), actor=actor)
        programme_cases_bind(programme, actor=actor)
        try:
            doc = document_store(case=case, kind="other", upload=upload, actor=actor)
        except DocumentRefused as exc:
            raise ProgrammeError(exc.message) from exc
        stored.add(doc.file)
        amendment = Amendment.objects.create(
            programme=programme,
            kind=Amendment.Kind.ADD,
            listing=listing,
            reason=reason,
            document=doc,
            created_by=actor,
        )
        event_record(
            action="programme.amend.add",
            actor=actor,
            obj=amendment,
            after={"enterprise": enterprise.uscc, "grounds": cleaned, "case": case.pk},
            note=reason,
        )
        notify_enterprise(
            enterprise=enterprise,
            actor=actor,
            obj=listing,
            subject=_("%(title)s: your enterprise was added to the list") % {"title": programme.title},
            body=_("%(name)s was added to the published list on %(date)s. Reason: %(reason)s")
            % {"name": enterprise.name, "date": case.published_on, "reason": reason},
        )
        return amendment


def amendment_remove(*, listing: Listing, reason: str, upload, actor) -> Amendment:
    """Remove an enterprise from a published list: its case is withdrawn through the lifecycle."""
    reason = (reason or "").strip()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=listing.programme_id)
        if not scoping.may_amend_list(actor, programme):
            raise ProgrammeError(_("Only the city bureau may amend a published list."))
        if not reason:
            raise ProgrammeError(_("An amendment needs a reason."))
        if upload is None:
            raise ProgrammeError(_("An amendment needs a supporting document."))
        try:
            case = case_transition_with_upload(
                case_id=listing.case.pk,
                actor=actor,
                action=Action.WITHDRAW,
                upload=upload,
                document_kind="withdrawal",
                reason=reason,
            )
        except Refused as exc:
            raise ProgrammeError(exc.message) from exc
        doc = case.documents.filter(kind="withdrawal").order_by("-version").first()
        amendment = Amendment.objects.create(
            programme=programme,
            kind=Amendment.Kind.REMOVE,
            listing=listing,
            reason=reason,
            document=doc,
            created_by=actor,
        )
        event_record(
            action="programme.amend.remove",
            actor=actor,
            obj=amendment,
            after={"enterprise": listing.enterprise.uscc, "case": case.pk},
            note=reason,
        )
        notify_enterprise(
            enterprise=listing.enterprise,
            actor=actor,
            obj=listing,
            subject=_("%(title)s: your enterprise was removed from the list") % {"title": programme.title},
            body=_("%(name)s was removed from the published list. Reason: %(reason)s")
            % {"name": listing.enterprise.name, "reason": reason},
        )
        return amendment
