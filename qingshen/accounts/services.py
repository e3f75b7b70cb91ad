"""Writes on accounts."""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from qingshen.accounts.models import PasswordHistory, SecurityParameter, User, UserSession
from qingshen.accounts.parameters import PARAMETERS, cache_clear, param, validate
from qingshen.accounts.roles import AUTHORITY_ROLES, JURISDICTION_ROLES, Authority, Role
from qingshen.trail.services import event_record


@transaction.atomic
def user_create_sysadmin(*, username: str, password: str) -> User:
    return user_create_admin(username=username, password=password, role=Role.SYSADMIN)


@transaction.atomic
def user_create_admin(*, username: str, password: str, role: str) -> User:
    """Bootstrap one of the three administrators from the command line (三员分立 needs all three
    before the security administrator can grant anything through the pages)."""
    if role not in (Role.SYSADMIN, Role.SECURITY, Role.AUDITOR):
        raise ValueError(f"{role} is not an administrator role.")
    if User.objects.filter(username=username).exists():
        raise ValueError(f"The user name {username} is taken.")
    user = User(username=username, role=role, is_staff=role == Role.SYSADMIN)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    event_record(action="account.create", obj=user, actor_name="manage.py", after={"role": user.role})
    return user


# --- Passwords -------------------------------------------------------------------------------------


def _password_validate(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc


@transaction.atomic
def password_change(*, user: User, new_password: str, keep_session_key: str | None = None) -> None:
    """The user sets their own password: rules checked, the old hash kept in history, other sessions end."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _password_validate(user, new_password)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    sessions_end(user=user, except_key=keep_session_key, reason="password_changed")
    event_record(action="account.password.change", actor=user, obj=user)


def password_expired(user: User) -> bool:
    if user.role not in param("password_rotation_roles") or user.password_changed_at is None:
        return False
    age = timezone.now() - user.password_changed_at
    return age > datetime.timedelta(days=param("password_max_age_days"))


# --- Sessions ----------------------------------------------------------------------------------------


def session_register(*, user: User, session_key: str, client_ip: str | None, user_agent: str, method: str):
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "client_ip": client_ip, "user_agent": user_agent[:300], "method": method},
    )


def _sessions_delete(keys) -> None:
    """Delete sessions through the session engine: with sessions cached (Redis, several nodes) a
    deleted row alone would leave the cached copy signed in until it expired."""
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=keys).delete()
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in keys:
            store(session_key=key).delete()


def sessions_end(*, user: User, except_key: str | None = None, reason: str, actor=None) -> int:
    """End the user's open sessions (all but `except_key`): their sessions are deleted."""
    open_sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    if except_key:
        open_sessions = open_sessions.exclude(session_key=except_key)
    keys = list(open_sessions.values_list("session_key", flat=True))
    if not keys:
        return 0
    _sessions_delete(keys)
    open_sessions.update(ended_at=timezone.now(), end_reason=reason)
    event_record(
        action="account.sessions.end",
        actor=actor or user,
        obj=user,
        after={"count": len(keys), "reason": reason},
    )
    return len(keys)


@transaction.atomic
def session_end_own(*, user: User, session_id: int) -> None:
    """A user ends one of their own sessions; someone else's id is not found."""
    row = UserSession.objects.select_for_update().get(pk=session_id, user=user, ended_at__isnull=True)
    _sessions_delete([row.session_key])
    row.ended_at, row.end_reason = timezone.now(), "ended_by_user"
    row.save(update_fields=["ended_at", "end_reason"])
    event_record(action="account.session.end", actor=user, obj=user, after={"session": row.pk})


# --- Separation of duties (三员分立) -------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *,
    actor: User,
    user_id: int,
    role: str,
    jurisdiction=None,
    enterprise=None,
    agency=None,
    authority: str = Authority.ENVIRONMENT,
) -> User:
    """The security administrator grants a role (with its scope and, for bureau staff, its department:
    roles.Authority). Nobody grants to themselves."""
    from qingshen.accounts import scoping

    if not scoping.may_grant_roles(actor):
        raise PermissionError("Only the security administrator grants roles.")
    user = User.objects.select_for_update().get(pk=user_id)
    if user.pk == actor.pk:
        raise ValueError(gettext("Nobody can change their own role."))
    if role not in Role.values and role != "":
        raise ValueError(gettext("Unknown role."))
    if authority not in Authority.values:
        raise ValueError(gettext("Unknown department."))
    if authority != Authority.ENVIRONMENT and role not in AUTHORITY_ROLES:
        raise ValueError(gettext("Only bureau staff belong to the energy-saving authority."))
    before = {
        "role": user.role,
        "authority": user.authority,
        "jurisdiction": user.jurisdiction_id,
        "enterprise": user.enterprise_id,
        "agency": user.agency_id,
    }
    user.role = role
    user.jurisdiction = jurisdiction if role in JURISDICTION_ROLES else None
    user.enterprise = enterprise if role == Role.ENTERPRISE else None
    user.agency = agency if role == Role.AGENCY else None
    user.authority = authority
    try:
        user.clean()
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    user.is_staff = role == Role.SYSADMIN  # Django admin, itself restricted to the sysadmin
    user.save(update_fields=["role", "authority", "jurisdiction", "enterprise", "agency", "is_staff"])
    after = {
        "role": user.role,
        "authority": user.authority,
        "jurisdiction": user.jurisdiction_id,
        "enterprise": user.enterprise_id,
        "agency": user.agency_id,
    }
    event_record(action="account.role.grant", actor=actor, obj=user, before=before, after=after)
    if before["role"] != role or before["authority"] != authority:
        sessions_end(user=user, reason="role_changed", actor=actor)
    return user


@transaction.atomic
def security_parameter_set(*, actor: User, key: str, value: str) -> SecurityParameter:
    from qingshen.accounts import scoping

    if not scoping.may_set_security_parameters(actor):
        raise PermissionError("Only the security administrator sets security parameters.")
    parameter = PARAMETERS[key]
    normalised = validate(parameter, value)
    row, _ = SecurityParameter.objects.select_for_update().get_or_create(
        key=key, defaults={"value": parameter.default}
    )
    before = row.value
    if before == normalised:
        return row
    row.value, row.updated_by = normalised, actor
    row.save()
    event_record(
        action="security.parameter.set", actor=actor, obj=row, before={key: before}, after={key: normalised}
    )
    transaction.on_commit(cache_clear)
    cache_clear()
    return row


def user_deactivated(*, user: User, actor=None) -> None:
    """Called when an account is disabled: its sessions end."""
    sessions_end(user=user, reason="account_disabled", actor=actor)


@transaction.atomic
def otp_reset(*, actor: User, user_id: int) -> None:
    """A lost authenticator: the security administrator removes the devices; the user enrols again."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qingshen.accounts import scoping

    user = scoping.users_grantable(actor).get(pk=user_id)
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    event_record(action="account.otp.reset", actor=actor, obj=user, after={"removed": removed})
    sessions_end(user=user, reason="otp_reset", actor=actor)
