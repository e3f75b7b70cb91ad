"""Django admin is for the system administrator only (三员分立: no case data, no log)."""

import contextlib

from qingshen.accounts import scoping


def restrict_admin_to_sysadmin(site):
    site.has_permission = lambda request: scoping.may_use_admin(request.user)
    # The admin's own login form would skip the lockout and the second factor: use ours.
    site.login = _login_through_qingshen
    site.site_header = "qingshen 清审"
    site.site_title = "qingshen"

    # Devices hold second-factor keys: not for the sysadmin's eyes (django-otp registers them).
    from django.contrib.admin.exceptions import NotRegistered
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        with contextlib.suppress(NotRegistered):
            site.unregister(model)


def _login_through_qingshen(request, extra_context=None):
    from django.contrib.auth.views import redirect_to_login
    from django.shortcuts import redirect

    if request.user.is_authenticated:
        return redirect("home")
    return redirect_to_login(request.GET.get("next") or "/admin/")
