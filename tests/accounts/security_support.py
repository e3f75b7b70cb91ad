"""What the security tests share: a password the rules accept, a security parameter set for a test,
failed logins, and the second factor's current code."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingshen.accounts.models import SecurityParameter
from qingshen.accounts.parameters import cache_clear

GOOD = "Clean-Prod-2026"


def set_parameter(key, value):
    SecurityParameter.objects.filter(key=key).update(value=value)
    cache_clear()


def fail_logins(client, username, n, address="10.0.0.1"):
    for _ in range(n):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def totp_code(user):
    device = TOTPDevice.objects.get(user=user)
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )
