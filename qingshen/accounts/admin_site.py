"""Django admin is for the system administrator only (三员分立: no case data, no log)."""

import contextlib

from . import scoping


def restrict_admin_to_sysadmin(site):
    site.has_permission = lambda request: scoping.may_use_admin(request.user)
    site.site_header = "qingshen 清审"
    site.site_title = "qingshen"

    # Devices hold second-factor keys: not for the sysadmin's eyes (django-otp registers them).
    from django.contrib.admin.exceptions import NotRegistered
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        with contextlib.suppress(NotRegistered):
            site.unregister(model)
