"""The one place that answers "may this user see / do this" (design.md §1).

Every view, API endpoint and service asks here. Visibility functions return querysets, so an
object outside the caller's scope is simply not found (the view answers 404). Each role has one
branch; a role not named sees nothing.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import ADMIN_ROLES, AUTHORITY_ROLES, Role


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role)


def _subtree_path(user) -> str | None:
    """The materialised path of the user's jurisdiction, for authority roles."""
    if user.role in AUTHORITY_ROLES and user.jurisdiction_id is not None:
        return user.jurisdiction.path
    return None


# --- What a user may see ----------------------------------------------------------------------------


def jurisdictions_visible(user) -> QuerySet[Jurisdiction]:
    path = _subtree_path(user) if _active(user) else None
    if path is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=path)


def cases_visible(user) -> QuerySet:
    from qingshen.cases.models import AuditCase

    qs = AuditCase.objects.all()
    if not _active(user):
        return qs.none()
    path = _subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction_path__startswith=path)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    if user.role == Role.AGENCY and user.agency_id:
        return qs.filter(pk__in=_delegated_case_ids(user))
    if user.role == Role.EXPERT:
        return qs.filter(pk__in=_expert_case_ids(user))
    # Administrators see no case data.
    return qs.none()


def case_scope(user, via: str = "") -> Q:
    """The cases a user may see, as a condition on the relation `via` (e.g. "case__" from a review).

    For aggregates over related rows: an authority's scope becomes a join on the case's path rather
    than a sub-select of case ids, which the databases plan far better on large tables."""
    path = _subtree_path(user) if _active(user) else None
    if path is not None:
        return Q(**{f"{via}jurisdiction_path__startswith": path})
    return Q(**{f"{via}pk__in": cases_visible(user).values("pk")})


def _expert_case_ids(user):
    """Cases of the panels the expert accepted a seat on after declaring no conflict (design.md §4)."""
    from qingshen.reviews.models import PanelSeat

    return PanelSeat.objects.filter(
        expert__user=user, status=PanelSeat.Status.ACCEPTED, no_conflict_declared=True
    ).values("panel__review__case_id")


def _delegated_case_ids(user):
    from qingshen.cases.models import Delegation

    today = timezone.localdate()
    return (
        Delegation.objects.filter(agency_id=user.agency_id, revoked_at__isnull=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("case_id")
    )


def enterprises_visible(user) -> QuerySet:
    from qingshen.registry.models import Enterprise

    qs = Enterprise.objects.all()
    if not _active(user):
        return qs.none()
    path = _subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction__path__startswith=path)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    if user.role == Role.AGENCY and user.agency_id:
        return qs.filter(cases__in=_delegated_case_ids(user)).distinct()
    return qs.none()


def programmes_visible(user) -> QuerySet:
    """Programmes of a city inside the user's subtree, or the city above a district user."""
    from qingshen.programmes.models import Programme

    qs = Programme.objects.all()
    if not _active(user):
        return qs.none()
    path = _subtree_path(user)
    if path is not None:
        city = user.jurisdiction.city
        q = Q(city__path__startswith=path)
        if city is not None:
            q |= Q(city=city)
        return qs.filter(q)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(listings__enterprise_id=user.enterprise_id).distinct()
    return qs.none()


def documents_visible(user) -> QuerySet:
    from qingshen.cases.models import Document

    return Document.objects.filter(case__in=cases_visible(user).values("pk"))


def reviews_visible(user) -> QuerySet:
    """Applications and their reviews: whoever sees the case (experts: the cases of accepted seats)."""
    from qingshen.reviews.models import Review

    return Review.objects.filter(case__in=cases_visible(user).values("pk"))


def seats_visible(user) -> QuerySet:
    """An expert's own panel seats, whatever their answer; nobody else's."""
    from qingshen.reviews.models import PanelSeat

    if not _active(user) or user.role != Role.EXPERT:
        return PanelSeat.objects.none()
    return PanelSeat.objects.filter(expert__user=user)


def experts_visible(user) -> QuerySet:
    """The expert pool: the city and the province that organise panels, and supervisors (read-only)."""
    from qingshen.reviews.models import Expert

    if _active(user) and user.role in {Role.CITY, Role.PROVINCE, Role.SUPERVISOR}:
        return Expert.objects.all()
    return Expert.objects.none()


def agencies_visible(user) -> QuerySet:
    """Agencies: every authority user; an agency its own entry."""
    from qingshen.registry.models import Agency

    if not _active(user):
        return Agency.objects.none()
    if user.role in AUTHORITY_ROLES:
        return Agency.objects.all()
    if user.role == Role.AGENCY and user.agency_id:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def warnings_visible(user) -> QuerySet:
    """Early warnings: staff for their subtree (milestones of their city's programmes too), an
    enterprise for its own cases, an agency for the cases delegated to it."""
    from qingshen.oversight.models import Warning

    qs = Warning.objects.all()
    if not _active(user):
        return qs.none()
    path = _subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction_path__startswith=path)
    if user.role in (Role.ENTERPRISE, Role.AGENCY):
        return qs.filter(case__in=cases_visible(user))
    return qs.none()


def accountability_visible(user) -> QuerySet:
    """Accountability records: the authority roles (the supervisor above all) for their subtree."""
    from qingshen.oversight.models import AccountabilityRecord

    qs = AccountabilityRecord.objects.all()
    path = _subtree_path(user) if _active(user) else None
    if path is None:
        return qs.none()
    return qs.filter(case__jurisdiction_path__startswith=path)


def notifications_visible(user) -> QuerySet:
    """A user's own inbox, whatever the role."""
    from qingshen.notifications.models import Notification

    if not _active(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def outbox_visible(user) -> QuerySet:
    """Official notices awaiting review and everything sent: city staff, for their subtree."""
    from qingshen.notifications.models import Delivery

    if not user_is(user, Role.CITY) or user.jurisdiction_id is None:
        return Delivery.objects.none()
    return Delivery.objects.filter(jurisdiction_path__startswith=user.jurisdiction.path)


def penalties_visible(user) -> QuerySet:
    """Penalties: the authority roles for their subtree."""
    from qingshen.oversight.models import Penalty

    path = _subtree_path(user) if _active(user) else None
    if path is None:
        return Penalty.objects.none()
    return Penalty.objects.filter(jurisdiction_path__startswith=path)


def spotchecks_visible(user) -> QuerySet:
    """Spot checks of the cities in the user's subtree (authority roles)."""
    from qingshen.oversight.models import SpotCheck

    path = _subtree_path(user) if _active(user) else None
    if path is None:
        return SpotCheck.objects.none()
    return SpotCheck.objects.filter(city__path__startswith=path)


def may_read_log(user) -> bool:
    """Only the audit administrator reads the operation log (三员分立)."""
    return _active(user) and user.role == Role.AUDITOR


def may_use_admin(user) -> bool:
    """Django admin is for the system administrator only."""
    return _active(user) and user.role == Role.SYSADMIN


def may_grant_roles(user) -> bool:
    """Only the security administrator grants roles (三员分立); never to themselves (services)."""
    return _active(user) and user.role == Role.SECURITY


def may_set_security_parameters(user) -> bool:
    return _active(user) and user.role == Role.SECURITY


def may_export_log(user) -> bool:
    return may_read_log(user)


def users_grantable(user) -> QuerySet[User]:
    """Accounts whose role the user may grant: everyone but themselves, for the security administrator."""
    if not may_grant_roles(user):
        return User.objects.none()
    return User.objects.exclude(pk=user.pk)


def sees_case_data(user) -> bool:
    return _active(user) and user.role not in ADMIN_ROLES


# --- What a user may do -----------------------------------------------------------------------------


def may_take_transition(user, case, transition) -> bool:
    """Role and scope for one lifecycle action; the state is the state machine's business."""
    if not _active(user) or user.role not in transition.roles:
        return False
    return cases_visible(user).filter(pk=case.pk).exists()


def may_manage_programme(user, programme) -> bool:
    """Add listings and publish: the city bureau of the programme's city."""
    return _active(user) and user.role == Role.CITY and user.jurisdiction_id == programme.city_id


def may_propose_listing(user, programme, enterprise) -> bool:
    """City staff for any enterprise of the city, district staff for their own enterprises."""
    if not _active(user) or programme.list_state != programme.ListState.DRAFT:
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
    if not _active(user) or not programmes_visible(user).filter(pk=programme.pk).exists():
        return districts.none()
    if user.role in {Role.CITY, Role.PROVINCE, Role.SUPERVISOR}:
        return districts
    if user.role == Role.DISTRICT:
        return districts.filter(pk=user.jurisdiction_id)
    return districts.none()


def may_submit_proposal(user, programme, district) -> bool:
    """The district's own staff send its proposal to the city while the list is a draft."""
    return (
        _active(user)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.parent_id == programme.city_id
        and programme.list_state == programme.ListState.DRAFT
    )


def may_merge_list(user, programme) -> bool:
    """Return proposals, edit, submit to the province: the city bureau while the list is a draft."""
    return may_manage_programme(user, programme) and programme.list_state == programme.ListState.DRAFT


def may_confirm_list(user, programme) -> bool:
    """Confirm or return a submitted list: the province bureau above the city."""
    return (
        _active(user)
        and user.role == Role.PROVINCE
        and user.jurisdiction_id is not None
        and programme.city.is_within(user.jurisdiction)
        and programme.list_state == programme.ListState.SUBMITTED
    )


def may_amend_list(user, programme) -> bool:
    """After publication only the city bureau amends its list (add or remove, with a document)."""
    return may_manage_programme(user, programme) and programme.list_state == programme.ListState.PUBLISHED


def may_propose_plan(user, programme, enterprise) -> bool:
    """附件4: districts propose their own enterprises, the city any of the city's, until published."""
    if not _active(user) or programme.list_state == programme.ListState.PUBLISHED:
        return False
    if user.role == Role.CITY:
        return user.jurisdiction_id == programme.city_id and enterprise.jurisdiction.is_within(programme.city)
    if user.role == Role.DISTRICT:
        return enterprise.jurisdiction.is_within(user.jurisdiction) and user.jurisdiction.is_within(
            programme.city
        )
    return False


def may_import_list(user, programme) -> bool:
    """City and district staff import rows into a draft list (each row is checked against their scope)."""
    return (
        _active(user)
        and user.role in {Role.CITY, Role.DISTRICT}
        and programme.list_state == programme.ListState.DRAFT
        and user.jurisdiction.is_within(programme.city)
        and (user.role == Role.CITY or _proposal_open(programme, user.jurisdiction))
    )


def imports_visible(user) -> QuerySet:
    """An import is its uploader's working file."""
    from qingshen.programmes.models import ImportBatch

    if not _active(user):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user)


def may_export_list(user, programme) -> bool:
    """Authority staff who see the programme may download its lists (rows are scoped again)."""
    return _active(user) and user.role in AUTHORITY_ROLES and _authority_sees_programme(user, programme)


def may_edit_enterprise(user, enterprise) -> bool:
    if not _active(user) or user.role not in {Role.CITY, Role.DISTRICT}:
        return False
    return enterprise.jurisdiction.is_within(user.jurisdiction)


def may_create_enterprise(user, jurisdiction) -> bool:
    if not _active(user) or user.role not in {Role.CITY, Role.DISTRICT}:
        return False
    return jurisdiction.is_within(user.jurisdiction)


def may_delegate(user, case) -> bool:
    return _active(user) and user.role == Role.ENTERPRISE and case.enterprise_id == user.enterprise_id


def may_edit_case_materials(user, case) -> bool:
    """Disclosure, documents, options and baselines: the enterprise, or its agency while delegated."""
    if not _active(user) or user.role not in {Role.ENTERPRISE, Role.AGENCY}:
        return False
    return cases_visible(user).filter(pk=case.pk).exists()


def may_apply_for_review(user, case) -> bool:
    """The enterprise or its delegated agency applies for evaluation or acceptance (same people as the
    materials: whoever prepares the file submits it)."""
    return may_edit_case_materials(user, case)


def may_manage_invitations(user, enterprise) -> bool:
    """See, copy and regenerate an enterprise's first-login link: the city or district bureau over it."""
    return may_edit_enterprise(user, enterprise)


def may_invite_colleagues(user) -> bool:
    """An enterprise's users add colleagues of the same enterprise."""
    return _active(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def disclosures_public() -> QuerySet:
    """What anyone may read without logging in: submitted disclosures of cases not withdrawn."""
    from qingshen.cases.models import Disclosure

    return Disclosure.objects.filter(status=Disclosure.Status.SUBMITTED).exclude(case__state="withdrawn")


def may_organise_review(user, review) -> bool:
    """Completeness check, conflict check, draw, verify and redraw: the city bureau over the case."""
    if not _active(user) or user.role != Role.CITY:
        return False
    return cases_visible(user).filter(pk=review.case_id).exists()


def may_see_expert_pool(user) -> bool:
    return _active(user) and user.role in {Role.CITY, Role.PROVINCE, Role.SUPERVISOR}


def may_see_agencies(user) -> bool:
    return _active(user) and (
        user.role in AUTHORITY_ROLES or (user.role == Role.AGENCY and bool(user.agency_id))
    )


def may_edit_agency(user, agency_id: int) -> bool:
    """Staff records: the agency itself, or the city bureau."""
    if not _active(user):
        return False
    return user.role == Role.CITY or (user.role == Role.AGENCY and user.agency_id == agency_id)


def may_verify_panel(user, review) -> bool:
    """The draw record names excluded experts and why: authority staff over the case (incl. supervisors)."""
    if not _active(user) or user.role not in AUTHORITY_ROLES:
        return False
    return cases_visible(user).filter(pk=review.case_id).exists()


def may_configure_reviews(user) -> bool:
    """Checklists and rubrics are the city bureau's to edit."""
    return _active(user) and user.role == Role.CITY


def may_manage_experts(user) -> bool:
    return _active(user) and user.role == Role.CITY


def may_see_accountability(user) -> bool:
    """The supervision page: the authority roles (supervisor, province, city, district)."""
    return _active(user) and _subtree_path(user) is not None


def may_close_accountability(user, record) -> bool:
    """The city closes a record (with an explanation); the supervisor only reads."""
    return user_is(user, Role.CITY) and accountability_visible(user).filter(pk=record.pk).exists()


def may_open_accountability(user, case) -> bool:
    """The city enters a record by hand for a case it sees."""
    return user_is(user, Role.CITY) and cases_visible(user).filter(pk=case.pk).exists()


def may_review_outbox(user) -> bool:
    """City staff review official notices before they are sent."""
    return user_is(user, Role.CITY) and user.jurisdiction_id is not None


def may_penalise(user) -> bool:
    """Orders and penalties are the city bureau's (its 执法 section)."""
    return user_is(user, Role.CITY) and user.jurisdiction_id is not None


def may_run_spotchecks(user) -> bool:
    """The city draws its yearly spot check and records findings."""
    return user_is(user, Role.CITY) and user.jurisdiction_id is not None and user.jurisdiction.level == "city"


def user_is(user: User, *roles: str) -> bool:
    return _active(user) and user.role in roles


# --- Summary tables and dashboard (issue 7) ---------------------------------------------------------


def may_see_summary(user, programme) -> bool:
    """Authority staff who see the programme see its summary table (rows are scoped again)."""
    return (
        _active(user)
        and user.role in AUTHORITY_ROLES
        and programme.list_state == programme.ListState.PUBLISHED
        and _authority_sees_programme(user, programme)
    )


def summary_districts_visible(user, programme) -> QuerySet[Jurisdiction]:
    """The district rows of a programme's summary table this user may see, in order."""
    if not may_see_summary(user, programme):
        return Jurisdiction.objects.none()
    return (
        jurisdictions_visible(user)
        .filter(parent_id=programme.city_id, level=Jurisdiction.Level.DISTRICT)
        .order_by("sort_order", "path")
    )


def may_file_summary(user, programme, district) -> bool:
    """A district bureau files its own row of a published programme's summary table."""
    return (
        may_see_summary(user, programme)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.parent_id == programme.city_id
    )


def may_see_dashboard(user) -> bool:
    return _active(user) and user.role in {Role.PROVINCE, Role.CITY, Role.SUPERVISOR}


def dashboard_areas_visible(user) -> QuerySet[Jurisdiction]:
    """What the dashboard may be narrowed to: the jurisdictions just below the user's own."""
    if not may_see_dashboard(user):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(parent_id=user.jurisdiction_id).order_by("sort_order", "path")


def programmes_public() -> QuerySet:
    """Lists anyone may read without logging in: published programmes."""
    from qingshen.programmes.models import Programme

    return Programme.objects.filter(list_state=Programme.ListState.PUBLISHED)


def cases_public() -> QuerySet:
    """Cases anyone may see (by their public fields only): those on a published list."""
    from qingshen.cases.models import AuditCase

    return AuditCase.objects.filter(programme__in=programmes_public().values("pk"))


# --- Review pages: who reaches them through the expert portal (f2) ---------------------------------------


def sits_on_panels(user) -> bool:
    """An expert sees reviews only through the panels it sits on: its pages are the expert portal,
    not the application queue."""
    return _active(user) and user.role == Role.EXPERT


def may_edit_materials_of_visible_cases(user) -> bool:
    """`may_edit_case_materials` for cases already drawn from `cases_visible(user)` (a list of them):
    the enterprise and its delegated agency edit every case they see, so no query per case."""
    return _active(user) and user.role in {Role.ENTERPRISE, Role.AGENCY}


# --- Checks that used to live in views (issue: scoping is the one place) ----------------------------


def _authority_sees_programme(user, programme) -> bool:
    """Whether an authority user's subtree covers the programme, asked once per programme instance
    (a page's several links ask it again). An authority's scope is a path, which does not change
    while a request runs; callers check the role first."""
    memo = programme.__dict__.setdefault("_scoping_seen_by", {})
    key = (user.pk, user.jurisdiction_id)
    if key not in memo:
        memo[key] = programmes_visible(user).filter(pk=programme.pk).exists()
    return memo[key]


def may_add_listings(user, programme) -> bool:
    """Show the "add to the list" form of a draft list: city and district staff (each addition is
    checked again by may_propose_listing)."""
    return user_is(user, Role.CITY, Role.DISTRICT) and programme.list_state == programme.ListState.DRAFT


def may_see_list_workflow(user, programme) -> bool:
    """Amendments, the carry-over list (附件2) and the plan list (附件4): authority staff who see the
    programme."""
    return user_is(user, *AUTHORITY_ROLES) and _authority_sees_programme(user, programme)


def may_see_confirmation(user, programme) -> bool:
    """The province's confirmation page of a city's list (deciding is may_confirm_list)."""
    return (
        user_is(user, Role.PROVINCE)
        and user.jurisdiction_id is not None
        and programme.city.is_within(user.jurisdiction)
    )


def may_add_to_plan(user, programme) -> bool:
    """Show the plan list's add form until the list is published: city and district staff (each
    entry is checked again by may_propose_plan)."""
    return user_is(user, Role.CITY, Role.DISTRICT) and programme.list_state != programme.ListState.PUBLISHED


def may_download_import_template(user) -> bool:
    """The blank import sheet: the staff who import rows into lists."""
    return user_is(user, Role.CITY, Role.DISTRICT)


def may_export_cases(user) -> bool:
    """The case list as .xlsx: authority staff (rows are scoped again by cases_visible)."""
    return user_is(user, *AUTHORITY_ROLES)


def enterprise_jurisdictions_creatable(user) -> QuerySet[Jurisdiction]:
    """Where the user may register a new enterprise: city and district staff, in their own subtree
    below the province (see may_create_enterprise for one jurisdiction)."""
    if not user_is(user, Role.CITY, Role.DISTRICT):
        return Jurisdiction.objects.none()
    return jurisdictions_visible(user).exclude(level=Jurisdiction.Level.PROVINCE)


def summary_row_fileable(user, programme) -> Jurisdiction | None:
    """The one row of a programme's summary table the user may file: a district bureau's own."""
    if not user_is(user, Role.DISTRICT) or user.jurisdiction_id is None:
        return None
    own = user.jurisdiction
    return own if may_file_summary(user, programme, own) else None


def may_see_warnings(user) -> bool:
    """The warning list: staff, enterprises and agencies (each its own scope); not experts, who see
    only their panels, nor the administrators."""
    return sees_case_data(user) and user.role != Role.EXPERT


def may_close_accountability_records(user) -> bool:
    """Offer the close form on the accountability list: the city bureau (each record is checked again
    by may_close_accountability)."""
    return user_is(user, Role.CITY)


def may_use_portal(user) -> bool:
    """The enterprise portal: enterprise users and consulting agencies."""
    return user_is(user, Role.ENTERPRISE, Role.AGENCY)


def own_proposal_district(user, programme) -> Jurisdiction | None:
    """The district whose proposal to the programme is the user's own to work on: a district bureau's
    jurisdiction, if it lies in the programme's city."""
    if not user_is(user, Role.DISTRICT) or user.jurisdiction_id is None:
        return None
    own = user.jurisdiction
    return own if own.parent_id == programme.city_id else None


# --- Totals cells (cases.rollup_models) --------------------------------------------------------------


def rollups_visible(user, model) -> QuerySet:
    """Option or benefit totals (OptionRollup, BenefitRollup) of the programme-and-jurisdiction cells
    in an authority's subtree; a cell's cases are exactly the cases of its jurisdiction."""
    path = _subtree_path(user) if _active(user) else None
    if path is None:
        return model.objects.none()
    return model.objects.filter(cell__jurisdiction__path__startswith=path)
