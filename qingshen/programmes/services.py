"""Writes on programmes and lists. The full list workflow (propose → confirm) builds on these."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.core.errors import Refused
from qingshen.core.files.staging import file_stage, promote_on_commit
from qingshen.core.files.stored import removed_on_failure
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.programmes import scoping
from qingshen.programmes.models import (
    Amendment,
    DistrictProposal,
    Ground,
    ImportBatch,
    Listing,
    Milestone,
    PlanEntry,
    Programme,
    import_upload_to,
    plan_years,
)
from qingshen.programmes.notify import notify_enterprise
from qingshen.programmes.signals import list_published
from qingshen.trail.services import event_record


class ProgrammeError(Refused):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def programme_create(*, city, year: int, title: str = "", actor=None) -> Programme:
    if Programme.objects.filter(city=city, year=year).exists():
        raise ProgrammeError(
            _("%(city)s already has a programme for %(year)s.") % {"city": city, "year": year}
        )
    if not title:
        # A title is data: written in the installation's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(year)s mandatory cleaner production audits of %(city)s") % {
                "year": year,
                "city": city.name,
            }
    programme = Programme.objects.create(city=city, year=year, title=title)
    event_record(action="programme.create", actor=actor, obj=programme, after={"year": year, "city": city.pk})
    return programme


@transaction.atomic
def milestone_add(
    *, programme: Programme, name: str, due_on: datetime.date, source: str = "", actor=None
) -> Milestone:
    milestone = Milestone.objects.create(programme=programme, name=name, due_on=due_on, source=source)
    event_record(
        action="programme.milestone.add",
        actor=actor,
        obj=programme,
        after={"name": name, "due_on": due_on, "source": source},
    )
    return milestone


def _clean_grounds(grounds, other_reason: str) -> list[str]:
    cleaned = []
    for g in grounds:
        if g not in Ground.values:
            raise ProgrammeError(_("Unknown ground “%(g)s”.") % {"g": g})
        if g not in cleaned:
            cleaned.append(g)
    if not cleaned:
        raise ProgrammeError(_("Choose at least one ground for listing."))
    if Ground.OTHER in cleaned and not other_reason.strip():
        raise ProgrammeError(_("The ground “other” needs a reason."))
    return sorted(cleaned, key=Ground.values.index)


@transaction.atomic
def listing_add(
    *, programme: Programme, enterprise, grounds, actor, other_reason: str = "", note: str = ""
) -> Listing:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_propose_listing(actor, programme, enterprise):
        raise ProgrammeError(_("You may not add this enterprise to this programme's list."))
    cleaned = _clean_grounds(grounds, other_reason)
    try:
        with transaction.atomic():
            listing = Listing.objects.create(
                programme=programme,
                enterprise=enterprise,
                grounds=cleaned,
                other_reason=other_reason.strip(),
                note=note.strip(),
                proposed_by=actor,
            )
    except IntegrityError as exc:
        raise ProgrammeError(_("%(name)s is already on this list.") % {"name": enterprise.name}) from exc
    event_record(
        action="programme.listing.add",
        actor=actor,
        obj=listing,
        after={"enterprise": enterprise.uscc, "grounds": cleaned, "lead": listing.lead_authority},
    )
    return listing


@transaction.atomic
def programme_publish(*, programme: Programme, actor, published_on: datetime.date | None = None) -> Programme:
    """Publish the list on date P: one case per listing, the list frozen. Runs once."""
    from qingshen.cases.services import case_create_for_listing

    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_manage_programme(actor, programme):
        raise ProgrammeError(_("Only the city bureau of this programme may publish its list."))
    if programme.list_state == Programme.ListState.PUBLISHED:
        raise ProgrammeError(
            _("This list was already published on %(date)s.") % {"date": programme.published_on}
        )
    if programme.list_state != Programme.ListState.CONFIRMED:
        raise ProgrammeError(_("Only a list the province has confirmed can be published."))
    listings = list(programme.listings.select_related("enterprise__jurisdiction", "programme"))
    if not listings:
        raise ProgrammeError(_("The list is empty: add enterprises before publishing."))
    day = published_on or timezone.localdate()
    if day > timezone.localdate():
        raise ProgrammeError(_("The publication date cannot be in the future."))
    calendar = WorkCalendar()
    before = {"list_state": programme.list_state}
    for listing in listings:
        case_create_for_listing(listing=listing, published_on=day, calendar=calendar, actor=actor)
        notify_enterprise(
            enterprise=listing.enterprise,
            actor=actor,
            obj=listing,
            subject=_("%(title)s: your enterprise is on the list") % {"title": programme.title},
            body=_(
                "%(name)s is on the list of mandatory cleaner production audits published on %(date)s. "
                "Disclose your information and start the audit within the legal time limits."
            )
            % {"name": listing.enterprise.name, "date": day},
        )
    programme.list_state = Programme.ListState.PUBLISHED
    programme.published_on = day
    programme.published_by = actor
    programme.save(update_fields=["list_state", "published_on", "published_by"])
    event_record(
        action="programme.publish",
        actor=actor,
        obj=programme,
        before=before,
        after={"list_state": programme.list_state, "published_on": day, "cases": len(listings)},
    )
    list_published.send(sender=Programme, programme=programme, actor=actor)
    return programme


# --- The list's workflow: district proposals → city → province → publication ---------------------------


def _proposal_locked(programme: Programme, district) -> "DistrictProposal":
    proposal, _created = DistrictProposal.objects.get_or_create(programme=programme, district=district)
    return DistrictProposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def proposal_submit(*, programme: Programme, district, actor) -> DistrictProposal:
    """The district sends its candidates to the city."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_submit_proposal(actor, programme, district):
        raise ProgrammeError(
            _("Only the district's own staff may submit its proposal while the list is a draft.")
        )
    proposal = _proposal_locked(programme, district)
    if proposal.status not in (DistrictProposal.Status.DRAFTING, DistrictProposal.Status.RETURNED):
        raise ProgrammeError(
            _("This proposal is “%(state)s”; it cannot be submitted again.")
            % {"state": proposal.get_status_display()}
        )
    before = {"status": proposal.status}
    proposal.status = DistrictProposal.Status.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.submitted_by = actor
    proposal.save(update_fields=["status", "submitted_at", "submitted_by"])
    event_record(
        action="programme.proposal.submit",
        actor=actor,
        obj=proposal,
        before=before,
        after={"status": proposal.status, "listings": district_listings(programme, district).count()},
    )
    return proposal


def district_listings(programme: Programme, district):
    return programme.listings.filter(enterprise__jurisdiction__path__startswith=district.path)


@transaction.atomic
def proposal_return(*, programme: Programme, district, actor, comment: str) -> DistrictProposal:
    """The city sends a district's proposal back with a comment; the district edits and resubmits."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_merge_list(actor, programme):
        raise ProgrammeError(_("Only the city bureau may return a proposal while the list is a draft."))
    comment = (comment or "").strip()
    if not comment:
        raise ProgrammeError(_("Say what the district should change."))
    proposal = _proposal_locked(programme, district)
    if proposal.status != DistrictProposal.Status.SUBMITTED:
        raise ProgrammeError(_("Only a submitted proposal can be returned."))
    proposal.status = DistrictProposal.Status.RETURNED
    proposal.comment = comment
    proposal.save(update_fields=["status", "comment"])
    event_record(
        action="programme.proposal.return",
        actor=actor,
        obj=proposal,
        before={"status": DistrictProposal.Status.SUBMITTED},
        after={"status": proposal.status},
        note=comment,
    )
    return proposal


@transaction.atomic
def programme_submit(*, programme: Programme, actor) -> Programme:
    """The city sends the merged list to the province; submitted proposals count as merged."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_merge_list(actor, programme):
        raise ProgrammeError(_("Only the city bureau may submit a draft list to the province."))
    if not programme.listings.exists():
        raise ProgrammeError(_("The list is empty: add enterprises before submitting it."))
    merged = list(
        programme.proposals.filter(status=DistrictProposal.Status.SUBMITTED).values_list(
            "district_id", flat=True
        )
    )
    programme.proposals.filter(district_id__in=merged).update(status=DistrictProposal.Status.MERGED)
    programme.list_state = Programme.ListState.SUBMITTED
    programme.return_comment = ""
    programme.save(update_fields=["list_state", "return_comment"])
    event_record(
        action="programme.submit",
        actor=actor,
        obj=programme,
        before={"list_state": Programme.ListState.DRAFT},
        after={
            "list_state": programme.list_state,
            "listings": programme.listings.count(),
            "merged_districts": merged,
        },
    )
    return programme


@transaction.atomic
def programme_confirm(*, programme: Programme, actor) -> Programme:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_confirm_list(actor, programme):
        raise ProgrammeError(_("Only the province bureau may confirm a list submitted to it."))
    programme.list_state = Programme.ListState.CONFIRMED
    programme.save(update_fields=["list_state"])
    event_record(
        action="programme.confirm",
        actor=actor,
        obj=programme,
        before={"list_state": Programme.ListState.SUBMITTED},
        after={"list_state": programme.list_state, "listings": programme.listings.count()},
    )
    return programme


@transaction.atomic
def programme_return(*, programme: Programme, actor, comment: str) -> Programme:
    """The province sends the list back to the city with a comment; it is a draft again."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_confirm_list(actor, programme):
        raise ProgrammeError(_("Only the province bureau may return a list submitted to it."))
    comment = (comment or "").strip()
    if not comment:
        raise ProgrammeError(_("Say what the city should change."))
    programme.list_state = Programme.ListState.DRAFT
    programme.return_comment = comment
    programme.save(update_fields=["list_state", "return_comment"])
    event_record(
        action="programme.return",
        actor=actor,
        obj=programme,
        before={"list_state": Programme.ListState.SUBMITTED},
        after={"list_state": programme.list_state},
        note=comment,
    )
    return programme


@transaction.atomic
def listing_remove(*, listing: Listing, actor) -> None:
    """Take an enterprise off a draft list (before publication a listing has no case)."""
    programme = Programme.objects.select_for_update().get(pk=listing.programme_id)
    listing = Listing.objects.select_related("enterprise__jurisdiction").get(pk=listing.pk)
    if not scoping.may_propose_listing(actor, programme, listing.enterprise):
        raise ProgrammeError(_("You may not change this entry of the list."))
    event_record(
        action="programme.listing.remove",
        actor=actor,
        obj=listing,
        before={"enterprise": listing.enterprise.uscc, "grounds": listing.grounds},
    )
    listing.delete()


# --- After publication: amendments -----------------------------------------------------------------------


def amendment_add(
    *, programme: Programme, enterprise, grounds, reason: str, upload, actor, other_reason: str = ""
) -> Amendment:
    """Add an enterprise to a published list: a listing, its case (P = today) and the document, together."""
    from qingshen.cases.documents import document_store
    from qingshen.cases.errors import DocumentRefused
    from qingshen.cases.services import case_create_for_listing

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
        cleaned = _clean_grounds(grounds, other_reason)
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
    from qingshen.cases.lifecycle import Action
    from qingshen.cases.services import case_transition_with_upload

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


# --- Carry-over and the plan list ------------------------------------------------------------------------


@transaction.atomic
def listing_relist(*, programme: Programme, case, grounds, actor, other_reason: str = "") -> Listing:
    """Put the enterprise of an earlier case that failed or ran out of time on this year's list."""
    from qingshen.programmes import selectors

    if not scoping.may_merge_list(actor, programme):
        raise ProgrammeError(_("Only the city bureau may re-list an enterprise into a draft list."))
    if (
        not selectors.carry_over_cases(user=actor, programme=programme)
        .filter(pk=case.pk, relistable=True)
        .exists()
    ):
        raise ProgrammeError(_("Only a carried-over case that failed or ran out of time can be re-listed."))
    listing = listing_add(
        programme=programme,
        enterprise=case.enterprise,
        grounds=grounds,
        actor=actor,
        other_reason=other_reason,
    )
    listing.carried_from = case
    listing.save(update_fields=["carried_from"])
    event_record(action="programme.listing.relist", actor=actor, obj=listing, after={"carried_from": case.pk})
    return listing


@transaction.atomic
def plan_entry_add(
    *, programme: Programme, enterprise, planned_year: int, grounds, actor, note: str = ""
) -> PlanEntry:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_propose_plan(actor, programme, enterprise):
        raise ProgrammeError(_("You may not add this enterprise to this programme's plan list."))
    if planned_year not in plan_years(programme.year):
        raise ProgrammeError(
            _("The plan list covers %(years)s.") % {"years": "、".join(map(str, plan_years(programme.year)))}
        )
    cleaned = _clean_grounds(grounds, "-") if grounds else []
    if programme.plan_entries.filter(enterprise=enterprise).exists():
        raise ProgrammeError(_("%(name)s is already on the plan list.") % {"name": enterprise.name})
    entry = PlanEntry.objects.create(
        programme=programme,
        enterprise=enterprise,
        planned_year=planned_year,
        grounds=cleaned,
        note=note.strip(),
        proposed_by=actor,
    )
    event_record(
        action="programme.plan.add",
        actor=actor,
        obj=entry,
        after={"enterprise": enterprise.uscc, "planned_year": planned_year, "grounds": cleaned},
    )
    return entry


# --- Imports: stored first, checked in the background, committed all or nothing -------------------------

IMPORT_PROGRESS_EVERY = 500
LOOKUP_CHUNK = 900  # stays under SQLite's bound-parameter limit


def import_batch_create(*, programme: Programme, kind: str, upload, actor) -> ImportBatch:
    """Check the file's type and safety, store it, record the batch and queue the row check."""
    import hashlib

    from django.core.files.base import ContentFile

    from qingshen.core.files import spreadsheets

    programme = Programme.objects.select_related("city").get(pk=programme.pk)
    if not scoping.may_import_list(actor, programme):
        raise ProgrammeError(_("You may not import into this list now."))
    if kind not in ImportBatch.Kind.values:
        raise ProgrammeError(_("Unknown kind of list."))
    if upload is None:
        raise ProgrammeError(_("Choose a file to upload."))
    if upload.size is not None and upload.size > settings.QINGSHEN_IMPORT_MAX_BYTES:
        from django.template.defaultfilters import filesizeformat

        raise ProgrammeError(
            _("The file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(settings.QINGSHEN_IMPORT_MAX_BYTES)}
        )
    data = upload.read()
    try:
        spreadsheets.sniff(data, upload.name or "")
    except spreadsheets.FileRefused as exc:
        raise ProgrammeError(exc.message) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        programme=programme,
        kind=kind,
        original_name=(upload.name or "")[:255],
        sha256=sha256,
        created_by=actor,
    )
    file_stage(batch.file, import_upload_to(batch, batch.original_name), ContentFile(data))
    with removed_on_failure() as stored:
        stored.add(batch.file)
        with transaction.atomic():
            batch.save()
            promote_on_commit(batch, "file")
            event_record(
                action="programme.import.upload",
                actor=actor,
                obj=batch,
                after={"programme": programme.pk, "kind": kind, "sha256": sha256, "size": len(data)},
            )
    from qingshen.programmes.tasks import import_validate_task

    transaction.on_commit(lambda: import_validate_task.enqueue(batch.pk))
    return batch


def _import_context(batch: ImportBatch, codes: list[str]):
    from qingshen.accounts.models import Jurisdiction
    from qingshen.programmes.list_rows import Context, squash
    from qingshen.registry.models import INDUSTRY_EDITION_DEFAULT, Enterprise, Industry

    actor, programme = batch.created_by, batch.programme
    user_path = actor.jurisdiction.path
    districts = {}
    for d in Jurisdiction.objects.filter(path__startswith=programme.city.path, level="district"):
        entry = {"id": d.pk, "path": d.path, "name": d.name, "in_scope": d.path.startswith(user_path)}
        districts[squash(d.name)] = entry
        if d.code:
            districts[d.code] = entry
    industries = dict(Industry.objects.filter(edition=INDUSTRY_EDITION_DEFAULT).values_list("code", "pk"))
    registry = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for pk, code, name, jid, path in Enterprise.objects.filter(
            uscc__in=codes[start : start + LOOKUP_CHUNK]
        ).values_list("pk", "uscc", "name", "jurisdiction_id", "jurisdiction__path"):
            registry[code] = {
                "id": pk,
                "name": name,
                "district_id": jid,
                "in_scope": path.startswith(user_path) and path.startswith(programme.city.path),
            }
    source = programme.plan_entries if batch.kind == ImportBatch.Kind.PLAN else programme.listings
    on_list = set(source.values_list("enterprise_id", flat=True))
    return Context(
        kind=batch.kind,
        programme_year=programme.year,
        districts=districts,
        industries=industries,
        registry=registry,
        on_list=on_list,
        user_path=user_path,
    )


def import_batch_validate(*, batch_id: int) -> ImportBatch:
    """Read and check every row; keep the report and the normalised rows. Writes nothing else."""
    try:
        return _import_validate(batch_id)
    except Exception:
        _import_failed(batch_id, _("The file could not be checked; nothing was written."))
        raise


def _import_validate(batch_id: int) -> ImportBatch:
    from qingshen.core.files import spreadsheets
    from qingshen.programmes import list_rows
    from qingshen.registry import uscc as uscc_codes

    batch = ImportBatch.objects.select_related("programme__city", "created_by__jurisdiction").get(pk=batch_id)
    if batch.status != ImportBatch.Status.QUEUED:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)

    def finish(state, errors, rows=(), conflicts=(), total=0):
        batch.status, batch.errors, batch.rows, batch.conflicts = state, errors, list(rows), list(conflicts)
        batch.total_rows = batch.processed_rows = total
        batch.save(update_fields=["status", "errors", "rows", "conflicts", "total_rows", "processed_rows"])
        return batch

    def refused(message):
        return finish(
            ImportBatch.Status.INVALID, [{"row": 0, "column": "", "problem": str(message), "fix": ""}]
        )

    with batch.file.open("rb") as fh:
        data = fh.read()
    try:
        kind = spreadsheets.sniff(data, batch.original_name)
        header, body, header_row = None, [], 0
        for index, cells in enumerate(spreadsheets.rows_of(data, kind), start=1):
            if header is None:
                if index > list_rows.HEADER_SCAN_ROWS:
                    break
                header = list_rows.match_header(cells) or None
                header_row = index
                continue
            body.append((index, cells))
            if len(body) > settings.QINGSHEN_IMPORT_MAX_ROWS:
                return refused(
                    _("The file has more than %(n)s rows; split it.")
                    % {"n": settings.QINGSHEN_IMPORT_MAX_ROWS}
                )
    except spreadsheets.FileRefused as exc:
        return refused(exc.message)
    if header is None:
        if header_row == 0:
            return refused(_("The sheet is empty."))
        return refused(
            _(
                "No header row was recognised: the sheet needs the columns 企业名称, 统一社会信用代码 and 纳入类型."
            )
        )
    records = []
    last_district = ""
    for index, cells in body:
        values = {f: (cells[i] if i < len(cells) else "") for f, i in header.items()}
        if not any(v for f, v in values.items() if f != "seq"):
            continue  # blank line
        # A district cell merged over several rows is only filled in the first.
        if values.get("district"):
            last_district = values["district"]
        elif "district" in header:
            values["district"] = last_district
        records.append((index, values))
    if not records:
        return refused(_("The sheet has a header but no rows."))
    # Only well-formed codes are looked up: the registry holds no other, and a malformed one (a NUL in
    # it) must reach the row check, not the database.
    codes = [
        c for c in (uscc_codes.normalise(v.get("uscc", "")) for _i, v in records) if uscc_codes.is_valid(c)
    ]
    ctx = _import_context(batch, codes)
    total = len(records)
    ImportBatch.objects.filter(pk=batch.pk).update(total_rows=total)
    seen: dict[str, tuple] = {}
    rows = []
    for n, (index, values) in enumerate(records, start=1):
        row = list_rows.validate_row(ctx, index, values, seen)
        if row is not None:
            rows.append(row)
        if n % IMPORT_PROGRESS_EVERY == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=n)
    state = ImportBatch.Status.INVALID if ctx.errors else ImportBatch.Status.READY
    return finish(state, ctx.errors, rows if not ctx.errors else [], ctx.conflicts, total)


def import_batch_commit_request(*, batch: ImportBatch, actor, renames: set[int]) -> ImportBatch:
    """Accept the preview: check the decisions, then queue the all-or-nothing write."""
    from qingshen.programmes.tasks import import_commit_task

    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.created_by_id != actor.pk:
            raise ProgrammeError(_("Only the person who uploaded the file may import it."))
        if batch.status != ImportBatch.Status.READY:
            raise ProgrammeError(
                _("This file is not ready to import (%(s)s).") % {"s": batch.get_status_display()}
            )
        conflict_rows = {c["row"] for c in batch.conflicts}
        if not set(renames) <= conflict_rows:
            raise ProgrammeError(_("A rename was chosen for a row without a name conflict."))
        batch.status = ImportBatch.Status.COMMITTING
        batch.save(update_fields=["status"])
        ids = sorted(renames)
        transaction.on_commit(lambda: import_commit_task.enqueue(batch.pk, ids))
    return batch


def import_batch_commit(*, batch_id: int, renames: list[int]) -> ImportBatch:
    """Write every row of a checked file in one transaction, or nothing (the report says why)."""
    try:
        with transaction.atomic():
            return _import_commit(batch_id, set(renames))
    except ProgrammeError as exc:
        return _import_failed(batch_id, exc.message)
    except Exception:
        # Nothing was written (the transaction rolled back); the page must not spin for ever.
        _import_failed(batch_id, _("The import failed unexpectedly; nothing was written."))
        raise


def _import_failed(batch_id: int, message: str) -> ImportBatch:
    batch = ImportBatch.objects.get(pk=batch_id)
    batch.status = ImportBatch.Status.INVALID
    batch.errors = [{"row": 0, "column": "", "problem": str(message), "fix": _("Upload the file again.")}]
    batch.save(update_fields=["status", "errors"])
    return batch


def _import_commit(batch_id: int, renames: set[int]) -> ImportBatch:
    from qingshen.programmes.models import lead_authority_for
    from qingshen.registry.models import Enterprise
    from qingshen.registry.services import enterprise_update

    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("created_by__jurisdiction")
        .get(pk=batch_id)
    )
    if batch.status != ImportBatch.Status.COMMITTING:
        return batch
    actor = batch.created_by
    programme = (
        Programme.objects.select_for_update(of=("self",)).select_related("city").get(pk=batch.programme_id)
    )
    if not scoping.may_import_list(actor, programme):
        raise ProgrammeError(_("The list is no longer open for import."))
    rows = batch.rows
    source = programme.plan_entries if batch.kind == ImportBatch.Kind.PLAN else programme.listings
    ids_on_list = set(source.values_list("enterprise_id", flat=True))
    clash = [r["row"] for r in rows if r["enterprise_id"] in ids_on_list]
    if clash:
        raise ProgrammeError(
            _("Since the check, rows %(rows)s were put on the list by someone else.") % {"rows": clash[:20]}
        )
    new = [
        Enterprise(
            name=r["name"],
            uscc=r["uscc"],
            jurisdiction_id=r["district_id"],
            industry_id=r["industry_id"],
        )
        for r in rows
        if r["enterprise_id"] is None
    ]
    Enterprise.objects.bulk_create(new, batch_size=1000)
    created = (
        {e.uscc: e.pk for e in Enterprise.objects.filter(uscc__in=[e.uscc for e in new]).only("pk", "uscc")}
        if new and not new[0].pk
        else {e.uscc: e.pk for e in new}
    )
    if new:  # bulk_create sends no post_save: give the new enterprises their public search keys
        from qingshen.registry.search_key_services import search_keys_rebuild

        search_keys_rebuild(enterprises=Enterprise.objects.filter(pk__in=created.values()).only("pk", "name"))
    for conflict in batch.conflicts:
        if conflict["row"] in renames:
            enterprise_update(
                actor=actor,
                enterprise=Enterprise.objects.get(uscc=conflict["uscc"]),
                name=conflict["file_name"],
            )
    if batch.kind == ImportBatch.Kind.PLAN:
        PlanEntry.objects.bulk_create(
            (
                PlanEntry(
                    programme=programme,
                    enterprise_id=r["enterprise_id"] or created[r["uscc"]],
                    planned_year=r["planned_year"],
                    grounds=r["grounds"],
                    note=r["note"],
                    proposed_by=actor,
                )
                for r in rows
            ),
            batch_size=1000,
        )
    else:
        Listing.objects.bulk_create(
            (
                Listing(
                    programme=programme,
                    enterprise_id=r["enterprise_id"] or created[r["uscc"]],
                    grounds=r["grounds"],
                    other_reason=r["other_reason"],
                    lead_authority=lead_authority_for(r["grounds"]),
                    note=r["note"],
                    proposed_by=actor,
                )
                for r in rows
            ),
            batch_size=1000,
        )
    batch.status = ImportBatch.Status.COMMITTED
    batch.created_count = len(rows)
    batch.rows = []
    batch.save(update_fields=["status", "created_count", "rows"])
    event_record(
        action="programme.import.commit",
        actor=actor,
        obj=batch,
        after={
            "programme": programme.pk,
            "kind": batch.kind,
            "rows": len(rows),
            "enterprises_created": sorted(created),
            "renamed": sorted(renames),
        },
    )
    return batch


def export_record(*, actor, what: str, rows: int, obj=None, filters: dict | None = None) -> None:
    """Downloads of lists are logged (design.md §6): who took which table, how many rows."""
    event_record(
        action=f"export.{what}", actor=actor, obj=obj, after={"rows": rows, "filters": filters or {}}
    )
