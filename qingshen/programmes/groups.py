"""A group audit opened on a published list: its lead (a park committee, an industry association or a
cluster's lead, entered in the registry) listed with a case of kind `group` that carries the group
(cases.groups). Here because a listing is the programme's; the group and its members are the cases'."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases.errors import TransitionRefused
from qingshen.cases.groups import group_create
from qingshen.cases.kinds import CaseKind
from qingshen.cases.services import case_create_for_listing
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.milestone_cases import programme_cases_bind
from qingshen.programmes.models import Ground, Listing, Programme


@transaction.atomic
def group_open(*, programme: Programme, lead, lead_kind: str, name: str, actor, lead_account: bool = False):
    """The group, its lead's listing and case (P = today) together, or nothing."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_amend_list(actor, programme):
        raise ProgrammeError(_("Only the city bureau may open a group audit, on a published list."))
    if not lead.jurisdiction.is_within(programme.city):
        raise ProgrammeError(_("The lead is not in this city."))
    if programme.listings.filter(enterprise=lead).exists():
        raise ProgrammeError(_("%(name)s is already on this list.") % {"name": lead.name})
    listing = Listing.objects.create(
        programme=programme,
        enterprise=lead,
        grounds=[Ground.OTHER],
        other_reason=(_("Lead of the group audit “%(name)s”") % {"name": (name or "").strip()})[:300],
        proposed_by=actor,
    )
    case = case_create_for_listing(
        listing=listing,
        published_on=timezone.localdate(),
        actor=actor,
        kind=CaseKind.GROUP,
        ensure_account=lead_account,
    )
    try:
        group = group_create(case=case, name=name, lead_kind=lead_kind, actor=actor)
    except TransitionRefused as exc:
        raise ProgrammeError(exc.message) from exc
    programme_cases_bind(programme, actor=actor)
    return group
