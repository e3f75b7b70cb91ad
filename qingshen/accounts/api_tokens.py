"""Personal API tokens: created with the plain key shown once, kept as a SHA-256 hash, revoked by their user.

The security administrator may disable tokens for whole roles (security parameter
`api_closed_roles`); a role that must use a second factor creates tokens only in a session that
passed it. A refused key is logged, at most once per address and reason in QINGSHEN_API_REFUSAL_LOG_SECONDS.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.models import ApiToken, User
from qingshen.accounts.otp import otp_required
from qingshen.accounts.parameters import param
from qingshen.core.errors import NotFound, Refused
from qingshen.trail.context import current_client_ip
from qingshen.trail.services import event_record

# The prefix marks the key as ours (secret scanners look for it) and is shown beside the name.
KEY_PREFIX = "qs_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scope: str,
    expires_on: datetime.date,
    actor=None,
    second_factor: bool | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its plain key, which is not kept and cannot be shown again.

    `second_factor` is whether the request's session passed the second factor; None when no login is
    behind the call (set-up, tests)."""
    if user.role in param("api_closed_roles"):
        raise Refused(_("The security administrator has disabled API tokens for your role."))
    if second_factor is False and otp_required(user):
        raise Refused(_("Your role uses a second factor: log in with it before you create a token."))
    name = (name or "").strip()
    if not name:
        raise Refused(_("Give the token a name."))
    if scope not in ApiToken.Scope.values:
        raise Refused(_("Unknown scope."))
    today = timezone.localdate()
    longest = settings.QINGSHEN_API_TOKEN_MAX_DAYS
    if expires_on <= today:
        raise Refused(_("The expiry date must lie in the future."))
    if expires_on > today + datetime.timedelta(days=longest):
        raise Refused(_("A token may live at most %(days)d days.") % {"days": longest})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = ApiToken.objects.create(
        user=user, name=name, scope=scope, key_hash=key_hash(key), prefix=key[:8], expires_at=expires_at
    )
    event_record(
        action="api.token.create",
        actor=actor or user,
        obj=token,
        after={"name": name, "scope": scope, "expires_at": expires_at},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, pk: int, actor=None) -> ApiToken:
    """Revoke one of `user`'s tokens (another user's is not found)."""
    token = ApiToken.objects.select_for_update().filter(user=user, pk=pk).first()
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        event_record(action="api.token.revoke", actor=actor or user, obj=token, note=token.name)
    return token


def _refusal_reason(token: ApiToken | None) -> str:
    if token is None:
        return "unknown"
    if token.revoked_at is not None:
        return "revoked"
    if not token.is_usable():
        return "expired"
    if not token.user.is_active:
        return "inactive"
    if token.user.role in param("api_closed_roles"):
        return "role_disabled"
    return ""


def _refusal_record(token: ApiToken | None, reason: str) -> None:
    """Log a refused key, once per address and reason per period: a flood of bad keys is one line a minute."""
    client_ip = current_client_ip.get()
    if not cache.add(
        f"qs-api-refused:{client_ip}:{reason}", 1, timeout=settings.QINGSHEN_API_REFUSAL_LOG_SECONDS
    ):
        return
    event_record(
        action="api.token.refused",
        actor_name=token.user.get_username() if token is not None else "",
        obj=token,
        result="failure",
        client_ip=client_ip,
        note=token.name if token is not None else "",
        after={"reason": reason, "prefix": token.prefix if token is not None else ""},
    )


def api_token_authenticate(key: str) -> ApiToken | None:
    """The usable token the key belongs to, with its user, or None; each use is stamped and logged, and so
    (rate-limited) is each refusal with its reason."""
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    reason = _refusal_reason(token)
    if reason:
        _refusal_record(token, reason)
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    event_record(action="api.token.use", actor=token.user, obj=token, note=token.name)
    return token


def api_tokens_of(user: User):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
