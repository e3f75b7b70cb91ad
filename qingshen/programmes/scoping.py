"""Which programmes a user sees and who may work on their lists.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import Q, QuerySet

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.roles import AUTHORITY_ROLES, Role

# The list's workflow is the environment bureau's: the energy-saving authority proposes its own
# energy-use listings into it (domain.md §8, 按职责分工) and otherwise sees the list read-only.
from qingshen.accounts.scoping import active, environment_staff, subtree_path, user_is
from qingshen.programmes.plan_window import plan_open
from qingshen.registry import scoping as registry_scoping
from qingshen.registry.bureaus import is_province_level


def programmes_visible(user) -> QuerySet:
    """Programmes of a city inside the user's subtree, or the city above a district user."""
    from qingshen.programmes.models import Programme

    qs = Programme.objects.all()
    if not active(user):
        return qs.none()
    path = subtree_path(user)
    if path is not None:
        city = user.jurisdiction.city
        q = Q(city__path__startswith=path)
        if city is not None:
            q |= Q(city=city)
        return qs.filter(q)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(listings__enterprise_id=user.enterprise_id).distinct()
    return qs.none()


def listings_visible(user) -> QuerySet:
    """Listings of the programmes the user sees, of the enterprises the user sees (a district its own
    enterprises only, as on the programme page)."""
    from qingshen.programmes.models import Listing

    return Listing.objects.filter(
        programme__in=programmes_visible(user).values("pk"),
        enterprise__in=registry_scoping.enterprises_visible(user).values("pk"),
    )


def may_manage_programme(user, programme) -> bool:
    """Add listings and publish: the city bureau of the programme's city."""
    return environment_staff(user) and user.role == Role.CITY and user.jurisdiction_id == programme.city_id


def may_create_programme(user, city) -> bool:
    """Set up a year's programme: the city bureau's own staff (in a 直辖市 the city bureau is the
    provincial-level bureau, still role CITY on the city)."""
    return (
        environment_staff(user)
        and user.role == Role.CITY
        and city is not None
        and city.level == Jurisdiction.Level.CITY
        and user.jurisdiction_id == city.pk
    )


def may_edit_programme(user, programme) -> bool:
    """Change the notice's fields and milestones: the city's own staff while the list is a draft
    (after submission the province and the districts work from what was sent)."""
    return may_manage_programme(user, programme) and programme.list_state == programme.ListState.DRAFT


def may_propose_listing(user, programme, enterprise) -> bool:
    """City staff for any enterprise of the city, district staff for their own enterprises."""
    if not active(user) or programme.list_state != programme.ListState.DRAFT:
        return False
    if user.role == Role.CITY:
        return user.jurisdiction_id == programme.city_id and enterprise.jurisdiction.is_within(programme.city)
    if user.role == Role.DISTRICT:
        return (
            enterprise.jurisdiction.is_within(user.jurisdiction)
            and user.jurisdiction.is_within(programme.city)
            and _proposal_open(programme, user.jurisdiction)
        )
    return False


def _proposal_open(programme, district) -> bool:
    """A district edits its proposal until it submits it (again after the city returns it)."""
    from qingshen.programmes.models import DistrictProposal

    state = (
        DistrictProposal.objects.filter(programme=programme, district=district)
        .values_list("status", flat=True)
        .first()
    )
    return state in (None, DistrictProposal.Status.DRAFTING, DistrictProposal.Status.RETURNED)


def proposal_districts_visible(user, programme) -> QuerySet[Jurisdiction]:
    """Whose proposals the user may open: the city and province all districts, a district itself."""
    districts = Jurisdiction.objects.filter(level=Jurisdiction.Level.DISTRICT, parent=programme.city_id)
    if not active(user) or not programmes_visible(user).filter(pk=programme.pk).exists():
        return districts.none()
    if user.role in {Role.CITY, Role.PROVINCE, Role.SUPERVISOR}:
        return districts
    if user.role == Role.DISTRICT:
        return districts.filter(pk=user.jurisdiction_id)
    return districts.none()


def may_submit_proposal(user, programme, district) -> bool:
    """The district's own staff send its proposal to the city while the list is a draft."""
    return (
        environment_staff(user)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.parent_id == programme.city_id
        and programme.list_state == programme.ListState.DRAFT
    )


def may_take_list_step(user, programme, transition, district=None) -> bool:
    """Role and jurisdiction for one step of the list's workflow (lists.TRANSITIONS): the district's
    own staff for its proposal, the programme's city bureau, the province bureau above the city. The
    state is the table's business."""
    if not environment_staff(user) or user.role not in transition.roles or user.jurisdiction_id is None:
        return False
    if district is not None and district.parent_id != programme.city_id:
        return False
    if user.role == Role.DISTRICT:
        return district is not None and user.jurisdiction_id == district.pk
    if user.role == Role.CITY:
        return user.jurisdiction_id == programme.city_id
    if user.role == Role.PROVINCE:
        return programme.city.is_within(user.jurisdiction)
    return False


def may_merge_list(user, programme) -> bool:
    """Return proposals, edit, submit to the province: the city bureau while the list is a draft."""
    return may_manage_programme(user, programme) and programme.list_state == programme.ListState.DRAFT


def may_confirm_list(user, programme) -> bool:
    """Confirm or return a submitted list: the province bureau above the city (a province-level city
    has no province step)."""
    return (
        environment_staff(user)
        and not is_province_level(programme.city)
        and user.role == Role.PROVINCE
        and user.jurisdiction_id is not None
        and programme.city.is_within(user.jurisdiction)
        and programme.list_state == programme.ListState.SUBMITTED
    )


def may_amend_list(user, programme) -> bool:
    """After publication only the city bureau amends its list (add or remove, with a document)."""
    return (
        may_manage_programme(user, programme)
        and programme.list_state == programme.ListState.PUBLISHED
        and not programme.historical  # a year before the system: its list is closed
    )


def may_propose_plan(user, programme, enterprise) -> bool:
    """附件4: districts propose their own enterprises while their part is open, the city any of the
    city's, until the plan list closes (plan_window)."""
    if not environment_staff(user) or not plan_open(programme):
        return False
    if user.role == Role.CITY:
        return user.jurisdiction_id == programme.city_id and enterprise.jurisdiction.is_within(programme.city)
    if user.role == Role.DISTRICT:
        return (
            enterprise.jurisdiction.is_within(user.jurisdiction)
            and user.jurisdiction.is_within(programme.city)
            and _plan_part_open(programme, _district_of(user.jurisdiction, programme))
        )
    return False


def _district_of(jurisdiction, programme):
    """The district (child of the programme's city) a jurisdiction lies in."""
    while jurisdiction is not None and jurisdiction.parent_id != programme.city_id:
        jurisdiction = jurisdiction.parent
    return jurisdiction


def _plan_part_open(programme, district) -> bool:
    from qingshen.programmes.models import PlanSubmission

    if district is None:
        return False
    state = (
        PlanSubmission.objects.filter(programme=programme, district=district)
        .values_list("status", flat=True)
        .first()
    )
    return state in (None, PlanSubmission.Status.DRAFTING, PlanSubmission.Status.RETURNED)


def may_submit_plan(user, programme, district) -> bool:
    """The district's own staff send its part of the plan list while it is open."""
    return (
        environment_staff(user)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.parent_id == programme.city_id
        and plan_open(programme)
        and _plan_part_open(programme, district)
    )


def may_decide_plan(user, programme) -> bool:
    """The city bureau returns or merges the districts' parts (also after the plan list closed: a part
    sent in time is still merged)."""
    return may_manage_programme(user, programme)


def may_import_list(user, programme) -> bool:
    """City and district staff import rows into a draft list (each row is checked against their scope)."""
    return (
        environment_staff(user)
        and user.role in {Role.CITY, Role.DISTRICT}
        and programme.list_state == programme.ListState.DRAFT
        and user.jurisdiction.is_within(programme.city)
        and (user.role == Role.CITY or _proposal_open(programme, user.jurisdiction))
    )


def imports_visible(user) -> QuerySet:
    """An import is its uploader's working file."""
    from qingshen.programmes.models import ImportBatch

    if not active(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user)


def may_export_list(user, programme) -> bool:
    """Authority staff who see the programme may download its lists (rows are scoped again)."""
    return active(user) and user.role in AUTHORITY_ROLES and _authority_sees_programme(user, programme)


def programmes_public() -> QuerySet:
    """Lists anyone may read without logging in: published programmes."""
    from qingshen.programmes.models import Programme

    return Programme.objects.filter(list_state=Programme.ListState.PUBLISHED)


def _authority_sees_programme(user, programme) -> bool:
    """Whether an authority user's subtree covers the programme, asked once per programme instance
    (a page's several links ask it again). An authority's scope is a path, which does not change
    while a request runs; callers check the role first."""
    memo = programme.__dict__.setdefault("_scoping_seen_by", {})
    key = (user.pk, user.jurisdiction_id)
    if key not in memo:
        memo[key] = programmes_visible(user).filter(pk=programme.pk).exists()
    return memo[key]


def listing_grounds(user) -> list[str]:
    """The grounds the user may list an enterprise on: every ground for the environment bureau, energy
    use alone for the energy-saving authority (the listings it leads, domain.md §8)."""
    from qingshen.programmes.models import Ground

    return list(Ground.values) if environment_staff(user) else [Ground.ENERGY]


def may_add_listings(user, programme) -> bool:
    """Show the "add to the list" form of a draft list: city and district staff (each addition is
    checked again by may_propose_listing)."""
    return user_is(user, Role.CITY, Role.DISTRICT) and programme.list_state == programme.ListState.DRAFT


def may_see_list_workflow(user, programme) -> bool:
    """Amendments, the carry-over list (附件2) and the plan list (附件4): authority staff who see the
    programme."""
    return user_is(user, *AUTHORITY_ROLES) and _authority_sees_programme(user, programme)


def may_see_confirmation(user, programme) -> bool:
    """The province's confirmation page of a city's list (deciding is may_confirm_list); a
    province-level city (直辖市) confirms its own list, so its lists have no such page."""
    return (
        user_is(user, Role.PROVINCE)
        and not is_province_level(programme.city)
        and user.jurisdiction_id is not None
        and programme.city.is_within(user.jurisdiction)
    )


def may_add_to_plan(user, programme) -> bool:
    """Show the plan list's add form while it is open: city and district staff (each entry is checked
    again by may_propose_plan)."""
    return _bureau_environment_staff(user) and plan_open(programme)


def may_download_import_template(user) -> bool:
    """The blank import sheet: the staff who import rows into lists."""
    return _bureau_environment_staff(user)


def own_proposal_district(user, programme) -> Jurisdiction | None:
    """The district whose proposal to the programme is the user's own to work on: a district bureau's
    jurisdiction, if it lies in the programme's city."""
    if not user_is(user, Role.DISTRICT) or user.jurisdiction_id is None:
        return None
    own = user.jurisdiction
    return own if own.parent_id == programme.city_id else None


# --- Progress returns (a "progress report due" milestone asks each district for one) ---------------


def progress_districts(programme) -> QuerySet:
    """The districts that owe a return: every district of the programme's city (functional zones too)."""
    return Jurisdiction.objects.filter(
        parent_id=programme.city_id, level=Jurisdiction.Level.DISTRICT
    ).order_by("sort_order", "path")


def may_file_progress(user, programme) -> bool:
    """A district's own staff file its return, for a district of the programme's city."""
    return (
        active(user)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id is not None
        and user.jurisdiction.parent_id == programme.city_id
        and user.jurisdiction.level == Jurisdiction.Level.DISTRICT
    )


def may_see_progress_board(user, programme) -> bool:
    """Who has filed and who is late: the city's staff and the authorities above it that see it."""
    return (
        active(user)
        and user.role in (Role.CITY, Role.PROVINCE, Role.SUPERVISOR)
        and programmes_visible(user).filter(pk=programme.pk).exists()
    )


def _bureau_environment_staff(user) -> bool:
    return environment_staff(user) and user.role in {Role.CITY, Role.DISTRICT}


def history_city(user) -> Jurisdiction | None:
    """The city whose earlier years the user may import (history import): a city or district bureau's
    own city; each row is checked against the user's jurisdiction again. The environment bureau's
    staff: the energy-saving authority reads the years imported."""
    if not _bureau_environment_staff(user) or user.jurisdiction_id is None:
        return None
    return user.jurisdiction.city


def may_import_history(user) -> bool:
    return history_city(user) is not None


def history_batches_visible(user) -> QuerySet:
    """A history import is its uploader's working file."""
    from qingshen.programmes.models import HistoryBatch

    if not active(user):
        return HistoryBatch.objects.none()
    return HistoryBatch.objects.filter(created_by=user)


def permit_import_jurisdiction(user) -> Jurisdiction | None:
    """Where the user may import discharge permits: a city or district bureau's own jurisdiction (every
    row's enterprise must lie in it, as for editing an enterprise: the environment bureau's staff)."""
    if not _bureau_environment_staff(user) or user.jurisdiction_id is None:
        return None
    return user.jurisdiction


def may_import_permits(user) -> bool:
    return permit_import_jurisdiction(user) is not None


def permit_batches_visible(user) -> QuerySet:
    """A permit import is its uploader's working file."""
    from qingshen.programmes.models import PermitBatch

    if not active(user):
        return PermitBatch.objects.none()
    return PermitBatch.objects.filter(created_by=user)
