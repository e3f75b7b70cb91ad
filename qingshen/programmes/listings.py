"""Writes on the entries of a draft list: adding an enterprise, taking it off, re-listing an earlier case."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qingshen.programmes import scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Ground, Listing, Programme
from qingshen.trail.services import event_record


def grounds_clean(grounds, other_reason: str) -> list[str]:
    """The grounds in the order of Art. 8, each once; refused when unknown, empty, or "other" unexplained."""
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


def _energy_staff_check(actor, grounds) -> None:
    """The energy-saving authority proposes and withdraws only the listings it leads (energy use alone)."""
    if not scoping.environment_staff(actor) and list(grounds) != scoping.listing_grounds(actor):
        raise ProgrammeError(
            _("The energy-saving authority proposes only listings on the ground of energy use.")
        )


@transaction.atomic
def listing_add(
    *, programme: Programme, enterprise, grounds, actor, other_reason: str = "", note: str = ""
) -> Listing:
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_propose_listing(actor, programme, enterprise):
        raise ProgrammeError(_("You may not add this enterprise to this programme's list."))
    cleaned = grounds_clean(grounds, other_reason)
    _energy_staff_check(actor, cleaned)
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
def listing_remove(*, listing: Listing, actor) -> None:
    """Take an enterprise off a draft list (before publication a listing has no case)."""
    programme = Programme.objects.select_for_update().get(pk=listing.programme_id)
    listing = Listing.objects.select_related("enterprise__jurisdiction").get(pk=listing.pk)
    if not scoping.may_propose_listing(actor, programme, listing.enterprise):
        raise ProgrammeError(_("You may not change this entry of the list."))
    _energy_staff_check(actor, listing.grounds)
    event_record(
        action="programme.listing.remove",
        actor=actor,
        obj=listing,
        before={"enterprise": listing.enterprise.uscc, "grounds": listing.grounds},
    )
    listing.delete()


@transaction.atomic
def listing_relist(*, programme: Programme, case, grounds, actor, other_reason: str = "") -> Listing:
    """Put the enterprise of an earlier case that failed or ran out of time on this year's list."""
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
