"""Who may see and edit enterprises and agencies.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.roles import AUTHORITY_ROLES, Role
from qingshen.accounts.scoping import active, environment_staff, jurisdictions_visible, subtree_path


def enterprises_visible(user) -> QuerySet:
    from qingshen.registry.models import Enterprise

    qs = Enterprise.objects.all()
    if not active(user):
        return qs.none()
    path = subtree_path(user)
    if path is not None:
        return qs.filter(jurisdiction__path__startswith=path)
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return qs.filter(pk=user.enterprise_id)
    if user.role == Role.AGENCY and user.agency_id:
        # The enterprises of the cases delegated to the agency today (one join: the same delegation).
        today = timezone.localdate()
        current = Q(
            cases__delegations__agency_id=user.agency_id,
            cases__delegations__revoked_at__isnull=True,
            cases__delegations__starts_on__lte=today,
        ) & (Q(cases__delegations__ends_on__isnull=True) | Q(cases__delegations__ends_on__gte=today))
        return qs.filter(current).distinct()
    return qs.none()


def permits_visible(user) -> QuerySet:
    """Discharge permits: the bureau's staff those of the enterprises they see (as the permit pages),
    an enterprise its own (it discloses their limits beside its figures)."""
    from qingshen.registry.permit_models import Permit

    if not active(user):
        return Permit.objects.none()
    if user.role in AUTHORITY_ROLES or (user.role == Role.ENTERPRISE and user.enterprise_id):
        return Permit.objects.filter(enterprise__in=enterprises_visible(user).values("pk"))
    return Permit.objects.none()


def agencies_visible(user) -> QuerySet:
    """Agencies: every authority user; an agency its own entry."""
    from qingshen.registry.models import Agency

    if not active(user):
        return Agency.objects.none()
    if user.role in AUTHORITY_ROLES:
        return Agency.objects.all()
    if user.role == Role.AGENCY and user.agency_id:
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def industries_visible(user) -> QuerySet:
    """The industry classification (GB/T 4754) is reference data: every signed-in user reads it."""
    from qingshen.registry.models import Industry

    return Industry.objects.all() if active(user) else Industry.objects.none()


def _registry_staff(user) -> bool:
    """The registry is the environment bureau's: city and district staff edit it; the energy-saving
    authority reads it (accounts.scoping.environment_staff)."""
    return environment_staff(user) and user.role in {Role.CITY, Role.DISTRICT}


def may_edit_enterprise(user, enterprise) -> bool:
    if not _registry_staff(user):
        return False
    return enterprise.jurisdiction.is_within(user.jurisdiction)


def may_create_enterprise(user, jurisdiction) -> bool:
    if not _registry_staff(user):
        return False
    return jurisdiction.is_within(user.jurisdiction)


def may_manage_invitations(user, enterprise) -> bool:
    """See, copy and regenerate an enterprise's first-login link: the city or district bureau over it."""
    return may_edit_enterprise(user, enterprise)


def may_see_agencies(user) -> bool:
    return active(user) and (
        user.role in AUTHORITY_ROLES or (user.role == Role.AGENCY and bool(user.agency_id))
    )


def may_edit_agency(user, agency_id: int) -> bool:
    """Staff records: the agency itself, or the city environment bureau."""
    if not active(user):
        return False
    return (environment_staff(user) and user.role == Role.CITY) or (
        user.role == Role.AGENCY and user.agency_id == agency_id
    )


def enterprise_jurisdictions_creatable(user) -> QuerySet[Jurisdiction]:
    """Where the user may register a new enterprise: city and district staff, in their own subtree
    below the province (see may_create_enterprise for one jurisdiction)."""
    if not _registry_staff(user):
        return Jurisdiction.objects.none()
    return jurisdictions_visible(user).exclude(level=Jurisdiction.Level.PROVINCE)


def may_change_bureau_settings(user, jurisdiction) -> bool:
    """A bureau's own settings (BureauSettings): its own staff, the city bureau for the city (whether it
    is province-level, who organises its reviews), a district bureau for its review section. The settings
    are the environment bureau's: the energy-saving authority's staff have no settings page."""
    return _registry_staff(user) and user.jurisdiction_id == jurisdiction.pk


def bureau_settings_jurisdiction(user):
    """The jurisdiction whose settings page the user has: a city or district environment bureau's own."""
    if not _registry_staff(user) or user.jurisdiction_id is None:
        return None
    return user.jurisdiction
