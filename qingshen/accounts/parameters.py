"""Security parameters (GB/T 22239-2019 level 3): defaults here, current values as SecurityParameter rows.

The security administrator edits them (accounts.services.security_parameter_set, logged); code reads
them through `param()`, which caches all rows for a few seconds per process so a request costs at most
one query for them.
"""

import time
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import Role

_ALL = ",".join(r.value for r in Role)


@dataclass(frozen=True)
class Parameter:
    key: str
    default: str
    kind: str  # "int" or "roles"
    label: object
    minimum: int = 0
    maximum: int = 10**6


PARAMETERS = {
    p.key: p
    for p in (
        # GB/T 22239-2019 8.1.4.1 a): passwords have complexity rules and are changed periodically; the
        # numbers (8 characters, 3 classes, 90 days) are common 等保 assessment practice, history 5 local practice.
        Parameter("password_min_length", "8", "int", _("Minimum password length"), 8, 128),
        Parameter("password_min_classes", "3", "int", _("Character classes required (of 4)"), 1, 4),
        Parameter("password_max_age_days", "90", "int", _("Password must be changed after (days)"), 1, 3650),
        Parameter(
            "password_rotation_roles",
            "province,city,district,expert,supervisor,auditor,security,sysadmin",
            "roles",
            _("Roles whose passwords expire"),
        ),
        Parameter("password_history", "5", "int", _("Earlier passwords that may not be reused"), 0, 24),
        # GB/T 22239-2019 8.1.4.1 b): handle failed logins, limit attempts, end idle sessions; the
        # numbers are qingshen defaults, local practice. A user name locks from the failing address only,
        # and an address failing across user names is paused (accounts/lockout.py).
        Parameter(
            "lockout_failures", "5", "int", _("Failed logins in a row before locking (per address)"), 1, 100
        ),
        Parameter("lockout_minutes", "30", "int", _("Lock duration (minutes)"), 1, 1440),
        # 20: four accounts' worth of mistakes, so a bureau office behind one NAT address is not paused
        # by a few people mistyping, while one source guessing many names stops after 20 tries.
        Parameter(
            "address_failures",
            "20",
            "int",
            _("Failed logins from one address, any user names, before it is paused"),
            1,
            10000,
        ),
        Parameter("session_idle_minutes", "30", "int", _("Idle session timeout (minutes)"), 1, 1440),
        Parameter("session_absolute_hours", "12", "int", _("Absolute session lifetime (hours)"), 1, 168),
        # GB/T 22239-2019 8.1.4.1 d): two or more authentication techniques (password + TOTP here), for
        # every bureau role and the three administrators.
        Parameter(
            "otp_required_roles",
            "province,city,district,supervisor,auditor,security,sysadmin",
            "roles",
            _("Roles that must use a second factor (TOTP)"),
        ),
        # The security administrator may close the REST API to whole roles: their tokens are refused and
        # no new ones are made. Empty: every role may use tokens. (Its key avoids "token", which
        # the log masks as a secret: an auditor must read which roles were closed.)
        Parameter("api_closed_roles", "", "roles", _("Roles that may not use API tokens")),
        # 网络安全法 Art. 21(3): network logs are kept no less than six months (190 days, the floor).
        Parameter("log_retention_days", "190", "int", _("Operation log retention (days)"), 190, 36500),
    )
}

_CACHE_SECONDS = 10
_cache: dict = {"at": 0.0, "values": None}


def parse(parameter: Parameter, raw: str):
    if parameter.kind == "int":
        return int(raw)
    return frozenset(r.strip() for r in raw.split(",") if r.strip())


def validate(parameter: Parameter, raw: str) -> str:
    """The normalised text of a new value, or ValueError with a message for the user."""
    from django.utils.translation import gettext as _g

    raw = (raw or "").strip()
    if parameter.kind == "int":
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(_g("Enter a whole number.")) from None
        if not parameter.minimum <= value <= parameter.maximum:
            raise ValueError(
                _g("Enter a number from %(min)s to %(max)s.")
                % {"min": parameter.minimum, "max": parameter.maximum}
            )
        return str(value)
    roles = [r.strip() for r in raw.split(",") if r.strip()]
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValueError(_g("Unknown roles: %(roles)s") % {"roles": ", ".join(unknown)})
    return ",".join(r for r in Role.values if r in roles)


def _load() -> dict:
    from qingshen.accounts.models import SecurityParameter

    stored = dict(SecurityParameter.objects.values_list("key", "value"))
    return {key: parse(p, stored.get(key, p.default)) for key, p in PARAMETERS.items()}


def param(key: str):
    now = time.monotonic()
    if _cache["values"] is None or now - _cache["at"] > _CACHE_SECONDS:
        _cache["values"], _cache["at"] = _load(), now
    return _cache["values"][key]


def cache_clear() -> None:
    _cache["values"] = None
