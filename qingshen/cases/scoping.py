"""Which cases, documents and disclosures a user sees, and who may act on a case.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from qingshen.accounts.roles import AUTHORITY_ROLES, Authority, Role
from qingshen.accounts.scoping import active, subtree_path, user_is
from qingshen.cases.kinds import CaseKind
from qingshen.registry.bureau_models import EnergyConsultation
from qingshen.registry.bureaus import energy_consultation

# programmes.Ground.ENERGY's value (cases sits below programmes and names it as data).
ENERGY_GROUND = "energy"


def cases_visible(user) -> QuerySet:
    from qingshen.cases.models import AuditCase

    qs = AuditCase.objects.all()
    if not active(user):
        return qs.none()
    path = subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction_path__startswith=path)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(enterprise_id=user.enterprise_id)
    if user.role == Role.AGENCY and user.agency_id:
        return qs.filter(pk__in=_delegated_case_ids(user))
    if user.role == Role.EXPERT:
        # The cases of the panels the expert accepted a seat on after declaring no conflict (design.md §4).
        seated = AuditCase.objects.filter(
            reviews__panel__seats__expert__user=user,
            reviews__panel__seats__status="accepted",
            reviews__panel__seats__no_conflict_declared=True,
        )
        return qs.filter(pk__in=seated.values("pk"))
    # Administrators see no case data.
    return qs.none()


def case_scope(user, via: str = "") -> Q:
    """The cases a user may see, as a condition on the relation `via` (e.g. "case__" from a review).

    For aggregates over related rows: an authority's scope becomes a join on the case's path rather
    than a sub-select of case ids, which the databases plan far better on large tables."""
    path = subtree_path(user) if active(user) else None
    if path is not None:
        return Q(**{f"{via}jurisdiction_path__startswith": path})
    return Q(**{f"{via}pk__in": cases_visible(user).values("pk")})


def _delegated_case_ids(user):
    from qingshen.cases.models import Delegation

    today = timezone.localdate()
    return (
        Delegation.objects.filter(agency_id=user.agency_id, revoked_at__isnull=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("case_id")
    )


def documents_visible(user) -> QuerySet:
    from qingshen.cases.models import Document

    return Document.objects.filter(case__in=cases_visible(user).values("pk"))


def disclosures_visible(user) -> QuerySet:
    """A case's Art. 11 disclosure (draft or submitted): whoever sees the case."""
    from qingshen.cases.models import Disclosure

    return Disclosure.objects.filter(case__in=cases_visible(user).values("pk"))


def options_visible(user) -> QuerySet:
    """A case's cleaner-production options with their benefits: whoever sees the case."""
    from qingshen.cases.models import Option

    return Option.objects.filter(case__in=cases_visible(user).values("pk"))


def case_lead_authority(case) -> str:
    """The department that leads the case (Listing.lead_authority, 办法 Art. 20): the energy-saving
    authority for a case listed on energy use only, else the environment bureau (which also leads the
    cases no list carries: voluntary audits)."""
    return case.listing.lead_authority if case.listing_id else Authority.ENVIRONMENT


def case_consulted_authority(case) -> str:
    """The department consulted on a case it does not lead, or "": the energy-saving authority on a case
    listed on energy use and another ground, which the environment bureau leads (how it is consulted is
    the city's setting, `consultation_of`)."""
    listing = case.listing if case.listing_id else None
    if listing is None:
        return ""
    if listing.lead_authority == Authority.ENVIRONMENT and ENERGY_GROUND in (listing.grounds or []):
        return Authority.ENERGY
    return ""


def consultation_of(case) -> str:
    """How the consulted authority takes part (registry.EnergyConsultation), "" when none is consulted."""
    if not case_consulted_authority(case):
        return ""
    return energy_consultation(case.programme.city)


def consultation_cosigns(case) -> bool:
    return consultation_of(case) == EnergyConsultation.COSIGN


def leads_case(user, case) -> bool:
    """Bureau staff act on a case only for the department that leads it; the other department sees it
    (same jurisdiction scope) read-only. Enterprises, agencies and experts are no department's staff."""
    if user.role not in AUTHORITY_ROLES:
        return True
    return user.authority == case_lead_authority(case)


def is_consulted_on(user, case) -> bool:
    """Bureau staff of the department consulted on the case (not its lead)."""
    authority = case_consulted_authority(case)
    return bool(authority) and active(user) and user.role in AUTHORITY_ROLES and user.authority == authority


def may_take_on_visible_case(user, transition, case) -> bool:
    """Role and department for one lifecycle action on a case already drawn from `cases_visible(user)`
    (the query that locks it for the step): scope is not asked again. The state is the state machine's
    business."""
    return active(user) and user.role in transition.roles and leads_case(user, case)


def may_register_voluntary(user) -> bool:
    """An enterprise's own account registers its voluntary audit (an agency acts only on delegated cases)."""
    return active(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def may_acknowledge(user, case) -> bool:
    """The bureau of the enterprise's jurisdiction (city or district staff who see the case) acknowledges
    a voluntary registration; the case comes from `cases_visible(user)`."""
    return (
        user_is(user, Role.CITY, Role.DISTRICT)
        and case.kind == CaseKind.VOLUNTARY
        and cases_visible(user).filter(pk=case.pk).exists()
    )


def may_delegate(user, case) -> bool:
    return active(user) and user.role == Role.ENTERPRISE and case.enterprise_id == user.enterprise_id


def may_edit_case_materials(user, case) -> bool:
    """Disclosure, documents, options and baselines: the enterprise, or its agency while delegated."""
    if not active(user) or user.role not in {Role.ENTERPRISE, Role.AGENCY}:
        return False
    return cases_visible(user).filter(pk=case.pk).exists()


def may_apply_for_review(user, case) -> bool:
    """The enterprise or its delegated agency applies for evaluation or acceptance (same people as the
    materials: whoever prepares the file submits it)."""
    return may_edit_case_materials(user, case)


def disclosures_public() -> QuerySet:
    """What anyone may read without logging in: submitted disclosures of cases not withdrawn."""
    from qingshen.cases.models import Disclosure

    return Disclosure.objects.filter(status=Disclosure.Status.SUBMITTED).exclude(case__state="withdrawn")


def cases_public() -> QuerySet:
    """Cases anyone may see (by their public fields only): those on a published list, and voluntary
    audits once their result is published (a voluntary audit in progress is the enterprise's own affair)."""
    from qingshen.cases.models import AuditCase

    return AuditCase.objects.filter(
        Q(programme__list_state="published") & ~Q(kind=CaseKind.VOLUNTARY)
        | Q(kind=CaseKind.VOLUNTARY, state="published", result_published_on__isnull=False)
    )


def may_edit_materials_of_visible_cases(user) -> bool:
    """`may_edit_case_materials` for cases already drawn from `cases_visible(user)` (a list of them):
    the enterprise and its delegated agency edit every case they see, so no query per case."""
    return active(user) and user.role in {Role.ENTERPRISE, Role.AGENCY}


def may_export_cases(user) -> bool:
    """The case list as .xlsx: authority staff (rows are scoped again by cases_visible)."""
    return user_is(user, *AUTHORITY_ROLES)


def rollups_visible(user, model) -> QuerySet:
    """Option or benefit totals (OptionRollup, BenefitRollup) of the programme-and-jurisdiction cells
    in an authority's subtree; a cell's cases are exactly the cases of its jurisdiction."""
    path = subtree_path(user) if active(user) else None
    if path is None:
        return model.objects.none()
    return model.objects.filter(cell__jurisdiction__path__startswith=path)


def case_counts_visible(user) -> QuerySet:
    """Case counts (CaseCount) of the cases in an authority's subtree: each row is of one path."""
    from qingshen.cases.models import CaseCount

    path = subtree_path(user) if active(user) else None
    if path is None:
        return CaseCount.objects.none()
    return CaseCount.objects.filter(jurisdiction_path__startswith=path)


def annual_disclosures_visible(user) -> QuerySet:
    """A case's annual disclosures (部令第24号 Art. 14), draft or submitted: whoever sees the case."""
    from qingshen.cases.models import AnnualDisclosure

    return AnnualDisclosure.objects.filter(case__in=cases_visible(user).values("pk"))


def annual_disclosures_public() -> QuerySet:
    """What anyone may read without logging in: submitted annual disclosures of cases not withdrawn."""
    from qingshen.cases.models import AnnualDisclosure

    return AnnualDisclosure.objects.filter(status=AnnualDisclosure.Status.SUBMITTED).exclude(
        case__state="withdrawn"
    )


def may_use_library(user) -> bool:
    """The technology library (清洁生产技术库): logged-in enterprises and agencies (to learn from) and
    authority staff. Not public, and not the administrators (no case data) nor experts (their panels only)."""
    if user_is(user, *AUTHORITY_ROLES):
        return user.jurisdiction_id is not None
    if user_is(user, Role.ENTERPRISE):
        return user.enterprise_id is not None
    return user_is(user, Role.AGENCY) and user.agency_id is not None


def may_set_library_naming(user) -> bool:
    """Whether its options are shown under its name is the enterprise's own choice, not its agency's."""
    return user_is(user, Role.ENTERPRISE) and user.enterprise_id is not None


def library_options() -> QuerySet:
    """The library's rows: implemented options of cases whose acceptance passed (accepted or published),
    whatever the jurisdiction. Names are shown only by `cases.library`'s rule (opt-in)."""
    from qingshen.cases.models import Option

    return Option.objects.filter(
        case__state__in=["accepted", "published"],
        case__accepted_on__isnull=False,
        status=Option.Status.IMPLEMENTED,
    )


def may_record_permit_findings(user, case) -> bool:
    """The audit's permit findings: whoever prepares the file (the enterprise, its delegated agency) or
    the city or district bureau over the case, of the department that leads it (the other department
    reads them); not once the round is withdrawn or its result published."""
    from qingshen.cases.states import State

    if case.state in (State.PUBLISHED, State.WITHDRAWN):
        return False
    if user_is(user, Role.CITY, Role.DISTRICT):
        return leads_case(user, case) and cases_visible(user).filter(pk=case.pk).exists()
    return may_edit_case_materials(user, case)


def groups_visible(user) -> QuerySet:
    """Group audits whose own case the user sees (the lead's case, kind `group`), and for a member
    enterprise the groups it is a member of (to see what counted its case)."""
    from qingshen.cases.models import GroupAudit

    mine = Q(case__in=cases_visible(user).values("pk"))
    if active(user) and user.role == Role.ENTERPRISE and user.enterprise_id:
        mine |= Q(members__enterprise_id=user.enterprise_id, members__removed_at__isnull=True)
    return GroupAudit.objects.filter(mine).distinct()


def group_documents_visible(user) -> QuerySet:
    """The current documents of the group cases the user sees a group of: the lead's side sees them
    with its case; a member enterprise reads the group's file that counts (or will count) its audit."""
    from qingshen.cases.models import Document

    return Document.objects.filter(
        case__group_audit__in=groups_visible(user).values("pk"), superseded_by__isnull=True
    )
