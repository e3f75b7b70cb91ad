"""Who sees warnings, accountability records, penalties and spot checks, and who acts on them.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import QuerySet

from qingshen.accounts.roles import Role
from qingshen.accounts.scoping import active, environment_staff, sees_case_data, subtree_path, user_is
from qingshen.cases import scoping as cases_scoping
from qingshen.registry.bureau_models import DistrictPenalties
from qingshen.registry.bureaus import bureau_settings, bureau_settings_prime
from qingshen.reviews import scoping as reviews_scoping
from qingshen.reviews.organisers import organising_unit


def warnings_visible(user) -> QuerySet:
    """Early warnings: staff for their subtree (milestones of their city's programmes too), an
    enterprise for its own cases, an agency for the cases delegated to it."""
    from qingshen.oversight.models import Warning

    qs = Warning.objects.all()
    if not active(user):
        return qs.none()
    path = subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction_path__startswith=path)
    if user.role in (Role.ENTERPRISE, Role.AGENCY):
        return qs.filter(case__in=cases_scoping.cases_visible(user))
    return qs.none()


def warning_counts_visible(user) -> QuerySet:
    """Case warnings counted per programme, kind and path (WarningCount): staff for their subtree."""
    from qingshen.oversight.models import WarningCount

    path = subtree_path(user) if active(user) else None
    if path is None:
        return WarningCount.objects.none()
    return WarningCount.objects.filter(jurisdiction_path__startswith=path)


def accountability_counts_visible(user) -> QuerySet:
    """Accountability records counted per totals cell and path (AccountabilityCount): staff for their subtree."""
    from qingshen.oversight.models import AccountabilityCount

    path = subtree_path(user) if active(user) else None
    if path is None:
        return AccountabilityCount.objects.none()
    return AccountabilityCount.objects.filter(jurisdiction_path__startswith=path)


def accountability_visible(user) -> QuerySet:
    """Accountability records: the authority roles (the supervisor above all) for their subtree."""
    from qingshen.oversight.models import AccountabilityRecord

    qs = AccountabilityRecord.objects.all()
    path = subtree_path(user) if active(user) else None
    if path is None:
        return qs.none()
    return qs.filter(case__jurisdiction_path__startswith=path)


def penalties_visible(user) -> QuerySet:
    """Penalties: the authority roles for their subtree."""
    from qingshen.oversight.models import Penalty

    path = subtree_path(user) if active(user) else None
    if path is None:
        return Penalty.objects.none()
    return Penalty.objects.filter(jurisdiction_path__startswith=path)


def spotchecks_visible(user) -> QuerySet:
    """Spot checks of the cities in the user's subtree (authority roles)."""
    from qingshen.oversight.models import SpotCheck

    path = subtree_path(user) if active(user) else None
    if path is None:
        return SpotCheck.objects.none()
    return SpotCheck.objects.filter(city__path__startswith=path)


def may_see_accountability(user) -> bool:
    """The supervision page: the authority roles (supervisor, province, city, district)."""
    return active(user) and subtree_path(user) is not None


def accountability_owner(record):
    """The bureau that answers for a record: for the review duties, the bureau that organises the
    case's reviews (the city or the district, reviews.organisers); a record entered by hand for another
    breach, the city."""
    from qingshen.oversight.models import AccountabilityRecord

    if record.kind == AccountabilityRecord.Kind.OTHER:
        return record.case.programme.city
    return organising_unit(record.case)


def accountability_closable(user, records) -> set[int]:
    """Of records already drawn from accountability_visible(user) (a page of the list), those the user
    may close: the ones its bureau owns. The cities' settings are read in one query."""
    if not user_is(user, *reviews_scoping.ORGANISER_ROLES) or user.jurisdiction_id is None:
        return set()
    records = list(records)
    bureau_settings_prime(r.case.programme.city for r in records)
    return {
        r.pk
        for r in records
        if accountability_owner(r).pk == user.jurisdiction_id and _department_owns(user, r)
    }


def _department_owns(user, record) -> bool:
    """Of the owning bureau, the department answering for the record: the environment bureau, or the
    energy-saving authority for the review duties of the cases it leads (it organises their reviews)."""
    from qingshen.oversight.models import AccountabilityRecord

    if environment_staff(user):
        return True
    return record.kind != AccountabilityRecord.Kind.OTHER and cases_scoping.leads_case(user, record.case)


def may_close_accountability(user, record) -> bool:
    """The owning bureau's staff close a record (with an explanation); the supervisor only reads."""
    if not user_is(user, *reviews_scoping.ORGANISER_ROLES) or user.jurisdiction_id is None:
        return False
    if user.jurisdiction_id != accountability_owner(record).pk or not _department_owns(user, record):
        return False
    return accountability_visible(user).filter(pk=record.pk).exists()


def may_open_accountability(user, case) -> bool:
    """The city environment bureau enters a record by hand for a case it sees."""
    return _oversight_staff(user, Role.CITY) and cases_scoping.cases_visible(user).filter(pk=case.pk).exists()


def _oversight_staff(user, *roles) -> bool:
    """Oversight (penalties, spot checks, the procedure, accountability by hand) is the environment
    bureau's: the energy-saving authority's staff read it (accounts.scoping.environment_staff)."""
    return environment_staff(user) and user_is(user, *roles)


def may_penalise(user) -> bool:
    """Orders and penalties are the city environment bureau's (its 执法 section)."""
    return _oversight_staff(user, Role.CITY) and user.jurisdiction_id is not None


def _city_penalty_setting(district) -> str:
    return bureau_settings(district.city).district_penalties


def penalty_mode(user, *, enterprise=None) -> str | None:
    """How the user may start an order to correct against a party: "record" (the city; a district
    whose city lets its districts record), "propose" (a district whose city confirms its proposals) or
    None. A district only against an enterprise lying within it; agencies are the city's alone."""
    if may_penalise(user):
        return DistrictPenalties.RECORD
    if not _oversight_staff(user, Role.DISTRICT) or user.jurisdiction_id is None or enterprise is None:
        return None
    if not enterprise.jurisdiction.is_within(user.jurisdiction):
        return None
    return _city_penalty_setting(user.jurisdiction)


def may_step_penalty(user, penalty) -> bool:
    """Mark an order corrected or follow it with a penalty: the city for its subtree; a district for
    its enterprises' orders when its city lets it record them."""
    if user.jurisdiction_id is None or not penalty.jurisdiction_path.startswith(user.jurisdiction.path):
        return False
    if may_penalise(user):
        return True
    return (
        _oversight_staff(user, Role.DISTRICT)
        and penalty.enterprise_id is not None
        and _city_penalty_setting(user.jurisdiction) == DistrictPenalties.RECORD
    )


def may_decide_penalty_proposals(user) -> bool:
    """The proposals page: the city confirms or returns its districts' proposals."""
    return may_penalise(user) and user.jurisdiction.level == "city"


def may_decide_penalty(user, penalty) -> bool:
    return may_decide_penalty_proposals(user) and penalty.jurisdiction_path.startswith(user.jurisdiction.path)


def may_resubmit_penalty(user, penalty) -> bool:
    """A proposal the city returned: the staff of the district that proposed it, while its city still
    has its districts propose (the state is the service's business)."""
    proposer = penalty.created_by
    return (
        _oversight_staff(user, Role.DISTRICT)
        and penalty.enterprise_id is not None
        and user.jurisdiction_id is not None
        and user.jurisdiction_id == proposer.jurisdiction_id
        and penalty.jurisdiction_path.startswith(user.jurisdiction.path)
        and penalty_mode(user, enterprise=penalty.enterprise) == DistrictPenalties.PROPOSE
    )


def may_run_spotchecks(user) -> bool:
    """The city environment bureau draws its yearly spot check and records findings."""
    return (
        _oversight_staff(user, Role.CITY)
        and user.jurisdiction_id is not None
        and user.jurisdiction.level == "city"
    )


def may_run_spotcheck(user, spot) -> bool:
    """Findings and the result of one spot check: the staff of the city that drew it."""
    return may_run_spotchecks(user) and spot.city_id == user.jurisdiction_id


def may_see_warnings(user) -> bool:
    """The warning list: staff, enterprises and agencies (each its own scope); not experts, who see
    only their panels, nor the administrators."""
    return sees_case_data(user) and user.role != Role.EXPERT


def may_close_accountability_records(user) -> bool:
    """Offer the close form on the accountability list: city and district bureaus, who may own records
    (each record is checked again by may_close_accountability)."""
    return user_is(user, *reviews_scoping.ORGANISER_ROLES)


def may_edit_procedure(user) -> bool:
    """The procedure (履职行权规程) is the city environment bureau's: its staff publish new editions."""
    return (
        _oversight_staff(user, Role.CITY)
        and user.jurisdiction_id is not None
        and user.jurisdiction.level == "city"
    )


def permit_warnings_visible(user) -> QuerySet:
    """The permit warnings of the rounds the user sees (cases scoping)."""
    from qingshen.oversight.models import PermitWarning

    return PermitWarning.objects.filter(case__in=cases_scoping.cases_visible(user)).select_related(
        "enterprise", "permit", "case"
    )


def annual_warnings_visible(user) -> QuerySet:
    """The late annual disclosure warnings of the cases the user sees (cases scoping)."""
    from qingshen.oversight.models import AnnualDisclosureWarning

    return AnnualDisclosureWarning.objects.filter(case__in=cases_scoping.cases_visible(user)).select_related(
        "enterprise", "case"
    )
