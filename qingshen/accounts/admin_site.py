"""Django admin is for the system administrator only (三员分立: no case data, no log)."""

from . import scoping


def restrict_admin_to_sysadmin(site):
    site.has_permission = lambda request: scoping.may_use_admin(request.user)
    site.site_header = "qingshen 清审"
    site.site_title = "qingshen"
