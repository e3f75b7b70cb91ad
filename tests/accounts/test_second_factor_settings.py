"""The second factor's numbers are settings, and changing them changes behaviour."""

from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken

from qingshen.accounts import otp


def _enrol(user):
    device = otp.totp_device_pending(user)
    code = str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits))
    return otp.totp_device_confirm(user=user, token=code.zfill(device.digits))


def test_ten_recovery_codes_by_default(world):
    codes = _enrol(world.users["city"])
    assert len(codes) == len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=world.users["city"]).count() == 10


@override_settings(QINGSHEN_OTP_RECOVERY_CODES=4)
def test_the_number_of_recovery_codes_follows_the_setting(world):
    codes = _enrol(world.users["city"])
    assert len(codes) == 4
    assert StaticToken.objects.filter(device__user=world.users["city"]).count() == 4


def test_the_second_step_window_follows_the_setting():
    assert otp.second_step_in_time(1000.0, 1300.0)  # five minutes by default
    assert not otp.second_step_in_time(1000.0, 1301.0)
    with override_settings(QINGSHEN_LOGIN_SECOND_STEP_SECONDS=60):
        assert otp.second_step_in_time(1000.0, 1060.0)
        assert not otp.second_step_in_time(1000.0, 1061.0)
