"""Second factor: TOTP (django-otp) with single-use recovery codes (its static tokens)."""

from django.conf import settings
from django.db import transaction
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingshen.accounts.parameters import param
from qingshen.trail.services import event_record


def otp_required(user) -> bool:
    return (
        user.role in param("otp_required_roles")
        or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def otp_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, kept across page loads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user, token: str) -> list[str] | None:
    """Confirm enrolment with a first code; returns the new recovery codes, or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save()
    static, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "recovery"})
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.QINGSHEN_OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    event_record(action="account.otp.enrol", actor=user, obj=user)
    return codes


def otp_verify(user, token: str):
    """The device that accepts the code (a recovery code is used up), or None."""
    token = (token or "").strip().replace(" ", "")
    if not token:
        return None
    return match_token(user, token)


def second_step_in_time(first_step_at: float, now: float) -> bool:
    """Whether the second login step (the code) still follows the password in time, both as Unix times
    (QINGSHEN_LOGIN_SECOND_STEP_SECONDS)."""
    return now - first_step_at <= settings.QINGSHEN_LOGIN_SECOND_STEP_SECONDS
