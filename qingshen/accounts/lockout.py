"""Failed logins: the 等保 lockout per user name and address, and a pause for a guessing address.

GB/T 22239-2019 8.1.4.1 b) asks that failed logins be handled: attempts limited, the account locked
after repeated failures. Locking a user name for everyone would let anyone lock out anyone (the
province's account included) from anywhere, so:

- `lockout_failures` failures in a row for one user name from one address lock that name from that
  address for `lockout_minutes`; the same user elsewhere still logs in;
- `address_failures` failures from one address within `lockout_minutes`, whatever the user names,
  pause logins from that address for `lockout_minutes` (IPv6: its /64 network, which one host holds);
  no account is locked by it. A success does not reset this count, or a guesser with one account of
  their own could clear it between guesses;
- the security administrator's unlock clears every lock on the account: its user name from every
  address, and the pause of each address it failed from.

The numbers are security parameters (parameters.py). Unknown user names are counted and locked the
same way, so a lock or a pause reveals nothing about which names exist.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qingshen.accounts.models import LoginThrottle
from qingshen.accounts.parameters import param
from qingshen.trail.services import event_record

PAIR, ADDRESS = LoginThrottle.Kind.PAIR, LoginThrottle.Kind.ADDRESS


@dataclass(frozen=True)
class LoginLock:
    until: datetime.datetime
    scope: str  # "account": this user name from this address; "address": everything from the address


def _name(username: str) -> str:
    return (username or "").strip().lower()[:150]


def address_key(address: str | None) -> str:
    """The address as the throttle counts it: IPv4 as is, IPv6 by its /64 network."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _lock_of(row: LoginThrottle) -> LoginLock:
    return LoginLock(row.locked_until, "address" if row.kind == ADDRESS else "account")


def login_lock_get(*, username: str, address: str | None) -> LoginLock | None:
    """The lock that stops this login now (the user name from this address, or the address), if any."""
    q = Q(kind=PAIR, username=_name(username), address=address or "")
    if address:
        q |= Q(kind=ADDRESS, username="", address=address_key(address))
    row = LoginThrottle.objects.filter(q, locked_until__gt=timezone.now()).order_by("-locked_until").first()
    return _lock_of(row) if row is not None else None


def _lockout_record(row: LoginThrottle, username: str, address: str | None) -> None:
    event_record(
        action="auth.lockout",
        actor_name=username[:150],
        client_ip=address,
        result="failure",
        after={
            "scope": _lock_of(row).scope,
            "address": row.address,
            "locked_until": row.locked_until.isoformat(),
        },
    )


@transaction.atomic
def login_failure_record(*, username: str, address: str | None) -> LoginLock | None:
    """Count a failure for the user name from this address and for the address; returns the lock
    that this failure set, if it set one."""
    now = timezone.now()
    period = datetime.timedelta(minutes=param("lockout_minutes"))
    lock = None
    pair, _ = LoginThrottle.objects.select_for_update().get_or_create(
        kind=PAIR, username=_name(username), address=address or ""
    )
    if pair.locked_until and pair.locked_until <= now:  # an expired lock starts a new count
        pair.failures, pair.locked_until = 0, None
    pair.failures += 1
    if pair.failures >= param("lockout_failures"):
        pair.failures, pair.locked_until = 0, now + period
        lock = _lock_of(pair)
        _lockout_record(pair, username, address)
    pair.save()
    if not address:
        return lock
    source, _ = LoginThrottle.objects.select_for_update().get_or_create(
        kind=ADDRESS, username="", address=address_key(address)
    )
    if source.locked_until and source.locked_until <= now:
        source.locked_until, source.window_started_at = None, None
    if source.window_started_at is None or now - source.window_started_at > period:
        source.failures, source.window_started_at = 0, now
    source.failures += 1
    if source.failures >= param("address_failures"):
        source.failures, source.window_started_at, source.locked_until = 0, None, now + period
        lock = _lock_of(source)
        _lockout_record(source, username, address)
    source.save()
    return lock


def login_success_record(*, username: str, address: str | None) -> None:
    """A good password ends the run of failures for this user name from this address."""
    LoginThrottle.objects.filter(
        kind=PAIR, username=_name(username), address=address or "", locked_until__isnull=True
    ).update(failures=0)


def login_locks_active(*, username: str) -> list[LoginThrottle]:
    """The locks standing between this account and a login: its name from each address, and the
    pauses of the addresses it failed from."""
    now = timezone.now()
    pairs = LoginThrottle.objects.filter(kind=PAIR, username=_name(username))
    sources = {address_key(a) for a in pairs.values_list("address", flat=True) if a}
    q = Q(kind=PAIR, username=_name(username)) | Q(kind=ADDRESS, address__in=sources)
    return list(LoginThrottle.objects.filter(q, locked_until__gt=now).order_by("kind", "address"))


@transaction.atomic
def login_unlock(*, actor, user_id: int) -> int:
    """The security administrator lifts every lock on an account before it expires: the user can log
    in at once from where they are."""
    from qingshen.accounts import scoping

    user = scoping.users_grantable(actor).get(pk=user_id)
    name = _name(user.username)
    pairs = LoginThrottle.objects.select_for_update().filter(kind=PAIR, username=name)
    sources = sorted({address_key(a) for a in pairs.values_list("address", flat=True) if a})
    paused = LoginThrottle.objects.select_for_update().filter(
        kind=ADDRESS, address__in=sources, locked_until__gt=timezone.now()
    )
    cleared_addresses = sorted(paused.values_list("address", flat=True))
    cleared = pairs.filter(Q(failures__gt=0) | Q(locked_until__isnull=False)).count() + len(cleared_addresses)
    pairs.update(failures=0, locked_until=None)
    paused.update(failures=0, locked_until=None, window_started_at=None)
    event_record(
        action="account.unlock",
        actor=actor,
        obj=user,
        after={"cleared": cleared, "addresses": cleared_addresses},
    )
    return cleared
