"""The primitives of "may this user see / do this": an active role, its jurisdiction subtree, and
the administrators' own rights. Each domain package scopes its own things in its `scoping.py` on these.

Every view, API endpoint and service asks here. Visibility functions return querysets, so an
object outside the caller's scope is simply not found (the view answers 404). Each role has one
branch; a role not named sees nothing.
"""

from django.db.models import QuerySet

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import ADMIN_ROLES, AUTHORITY_ROLES, Authority, Role


def active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role)


def environment_staff(user) -> bool:
    """Staff of the ecological-environment bureau (or any other active user: the authority is a bureau
    account's attribute). The energy-saving authority's staff (domain.md §8) see the environment bureau's
    work read-only: registry edits, oversight, settings and the list's workflow are not theirs, except the
    cases they lead (cases.scoping.leads_case) and the energy-use listings they propose."""
    return active(user) and getattr(user, "authority", Authority.ENVIRONMENT) == Authority.ENVIRONMENT


def subtree_path(user) -> str | None:
    """The materialised path of the user's jurisdiction, for authority roles."""
    if user.role in AUTHORITY_ROLES and user.jurisdiction_id is not None:
        return user.jurisdiction.path
    return None


def jurisdictions_visible(user) -> QuerySet[Jurisdiction]:
    path = subtree_path(user) if active(user) else None
    if path is None:
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(path__startswith=path)


def may_read_log(user) -> bool:
    """Only the audit administrator reads the operation log (三员分立)."""
    return active(user) and user.role == Role.AUDITOR


def may_use_admin(user) -> bool:
    """Django admin is for the system administrator only."""
    return active(user) and user.role == Role.SYSADMIN


def may_grant_roles(user) -> bool:
    """Only the security administrator grants roles (三员分立); never to themselves (services)."""
    return active(user) and user.role == Role.SECURITY


def may_set_security_parameters(user) -> bool:
    return active(user) and user.role == Role.SECURITY


def may_export_log(user) -> bool:
    return may_read_log(user)


def users_grantable(user) -> QuerySet[User]:
    """Accounts whose role the user may grant: everyone but themselves, for the security administrator."""
    if not may_grant_roles(user):
        return User.objects.none()
    return User.objects.exclude(pk=user.pk)


def sees_case_data(user) -> bool:
    return active(user) and user.role not in ADMIN_ROLES


def may_invite_colleagues(user) -> bool:
    """An enterprise's users add colleagues of the same enterprise."""
    return active(user) and user.role == Role.ENTERPRISE and user.enterprise_id is not None


def user_is(user: User, *roles: str) -> bool:
    return active(user) and user.role in roles


def may_use_portal(user) -> bool:
    """The enterprise portal: enterprise users and consulting agencies."""
    return user_is(user, Role.ENTERPRISE, Role.AGENCY)
