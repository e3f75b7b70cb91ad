"""Writing a checked history file: every row in one transaction, or nothing (the batch's report says
why). Set-based: the programmes, enterprises, listings, cases, deadlines and log events of the whole
file go in bulk inserts."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.cases.history import KnownDates
from qingshen.cases.models import AuditCase
from qingshen.cases.services import cases_create_historical
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.history.batches import history_batch_failed
from qingshen.programmes.history.columns import DATE_FIELDS
from qingshen.programmes.imports.validate import LOOKUP_CHUNK
from qingshen.programmes.models import HistoryBatch, Listing, Programme, lead_authority_for
from qingshen.registry.models import Enterprise
from qingshen.registry.search_key_services import search_keys_rebuild
from qingshen.registry.services import RegistryError, enterprise_update
from qingshen.trail.services import event_record


def history_batch_commit(*, batch_id: int, renames: list[str] = ()) -> HistoryBatch:
    """Write every row of a checked file in one transaction, or nothing (the report says why).
    `renames`: credit codes whose registry name gives way to the file's (the old one kept as a former name)."""
    try:
        with transaction.atomic():
            return _commit(batch_id, set(renames))
    except ProgrammeError as exc:
        return history_batch_failed(batch_id=batch_id, message=exc.message)
    except Exception:
        history_batch_failed(
            batch_id=batch_id, message=_("The import failed unexpectedly; nothing was written.")
        )
        raise


def _dates(row: dict) -> KnownDates:
    values = {k: (datetime.date.fromisoformat(row[k]) if row[k] else None) for k in DATE_FIELDS}
    evaluation_on, acceptance_on = values.pop("evaluation_on"), values.pop("acceptance_on")
    return KnownDates(
        **values,
        evaluation=row["evaluation"],
        evaluation_on=evaluation_on,
        acceptance=row["acceptance"],
        acceptance_on=acceptance_on,
        level=row["level"],
        withdrawn_reason=row["withdrawn_reason"],
    )


def _programmes(city, rows, actor) -> dict[int, Programme]:
    """The city's programme of each year in the file: a closed, historical one created where none is."""
    years = {r["year"] for r in rows}
    have = {p.year: p for p in Programme.objects.select_for_update().filter(city=city, year__in=years)}
    live = sorted(y for y, p in have.items() if not p.historical)
    if live:
        raise ProgrammeError(
            _("Since the check, the programmes of %(years)s were set up in the system.") % {"years": live}
        )
    first = {}
    for r in rows:
        if r["year"] not in have:
            first[r["year"]] = min(first.get(r["year"], r["published_on"]), r["published_on"])
    with translation.override(settings.LANGUAGE_CODE):
        new = [
            Programme(
                city=city,
                year=year,
                title=_("%(year)s mandatory cleaner production audits of %(city)s")
                % {"year": year, "city": city.name},
                list_state=Programme.ListState.PUBLISHED,
                published_on=datetime.date.fromisoformat(day),
                historical=True,
            )
            for year, day in sorted(first.items())
        ]
    for programme in new:
        programme.save()  # a handful per file: saved one by one for their keys
        event_record(
            action="programme.history.create", actor=actor, obj=programme, after={"year": programme.year}
        )
        have[programme.year] = programme
    return have


def _enterprises(rows) -> dict[str, Enterprise]:
    """Every row's enterprise (pk, name, jurisdiction) by credit code; the new ones registered."""
    new, seen = [], set()
    for r in rows:
        if r["enterprise_id"] is None and r["uscc"] not in seen:
            seen.add(r["uscc"])
            new.append(
                Enterprise(
                    name=r["name"],
                    uscc=r["uscc"],
                    jurisdiction_id=r["district_id"],
                    industry_id=r["industry_id"],
                )
            )
    Enterprise.objects.bulk_create(new, batch_size=1000)
    codes = sorted({r["uscc"] for r in rows})
    found = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for e in (
            Enterprise.objects.filter(uscc__in=codes[start : start + LOOKUP_CHUNK])
            .only("pk", "name", "uscc", "jurisdiction_id", "jurisdiction__path")
            .select_related("jurisdiction")
        ):
            found[e.uscc] = e
    if new:  # bulk_create sends no post_save: give the new enterprises their public search keys
        search_keys_rebuild(enterprises=Enterprise.objects.filter(uscc__in=seen).only("pk", "name"))
    return found


def _renames_apply(batch: HistoryBatch, renames: set[str], actor) -> None:
    """The chosen enterprises take the file's name, the registry's kept as a former name (registry's
    own rename: EnterpriseName row and enterprise.update event). Before the cases, whose log lines name
    the enterprise."""
    chosen = [c for c in batch.conflicts if c["uscc"] in renames]
    by_code = Enterprise.objects.in_bulk([c["uscc"] for c in chosen], field_name="uscc")
    for conflict in chosen:
        try:
            enterprise_update(actor=actor, enterprise=by_code[conflict["uscc"]], name=conflict["file_name"])
        except RegistryError as exc:
            raise ProgrammeError(
                _("%(code)s cannot be renamed: %(why)s") % {"code": conflict["uscc"], "why": exc.message}
            ) from exc


def _commit(batch_id: int, renames: set[str]) -> HistoryBatch:
    batch = HistoryBatch.objects.select_for_update(of=("self",)).select_related("city").get(pk=batch_id)
    if batch.status != HistoryBatch.Status.COMMITTING:
        return batch
    actor, city, rows = batch.created_by, batch.city, batch.rows
    if scoping.history_city(actor) != city:
        raise ProgrammeError(_("You may no longer import earlier years of this city."))
    programmes = _programmes(city, rows, actor)
    taken = set(
        AuditCase.objects.filter(programme__in=programmes.values()).values_list(
            "programme__year", "enterprise__uscc"
        )
    )
    clash = [r["row"] for r in rows if (r["year"], r["uscc"]) in taken]
    if clash:
        raise ProgrammeError(
            _("Since the check, rows %(rows)s were imported by someone else.") % {"rows": clash[:20]}
        )
    _renames_apply(batch, renames, actor)
    enterprises = _enterprises(rows)
    listings = [
        Listing(
            programme=programmes[r["year"]],
            enterprise=enterprises[r["uscc"]],
            grounds=r["grounds"],
            other_reason=r["other_reason"],
            lead_authority=lead_authority_for(r["grounds"]),
            proposed_by=actor,
        )
        for r in rows
    ]
    Listing.objects.bulk_create(listings, batch_size=1000)
    if listings and listings[0].pk is None:  # a backend that returns no keys
        ids = {
            (p, e): pk
            for p, e, pk in Listing.objects.filter(programme__in=programmes.values()).values_list(
                "programme_id", "enterprise_id", "pk"
            )
        }
        for listing in listings:
            listing.pk = ids[(listing.programme_id, listing.enterprise_id)]
    cases = cases_create_historical(
        rounds=[
            {
                "listing": listing,
                "enterprise": listing.enterprise,
                "jurisdiction_id": listing.enterprise.jurisdiction_id,
                "jurisdiction_path": listing.enterprise.jurisdiction.path,
                "dates": _dates(r),
                "row": r["row"],
                "agency_id": r["agency_id"],
            }
            for listing, r in zip(listings, rows, strict=True)
        ],
        actor=actor,
        sha256=batch.sha256,
        sm3=batch.sm3,
        imported_on=timezone.localdate(),
    )
    batch.status, batch.created_count, batch.rows = HistoryBatch.Status.COMMITTED, len(cases), []
    batch.save(update_fields=["status", "created_count", "rows"])
    event_record(
        action="programme.history.commit",
        actor=actor,
        obj=batch,
        after={
            "city": city.pk,
            "sha256": batch.sha256,
            "sm3": batch.sm3,
            "cases": len(cases),
            "skipped_rows": len(batch.skipped),
            "years": sorted(programmes),
            "renamed": sorted(renames),
        },
    )
    return batch
