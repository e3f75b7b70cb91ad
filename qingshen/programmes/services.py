"""Writes on programmes and lists. The full list workflow (propose → confirm) builds on these."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.accounts import scoping
from qingshen.oversight.workcalendar import WorkCalendar
from qingshen.trail.services import event_record

from .models import Ground, Listing, Milestone, Programme


class ProgrammeError(Exception):
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
    return programme
