from . import scoping


def role_menu(request):
    """What the navigation bar may offer this user."""
    user = getattr(request, "user", None)
    return {
        "nav_sees_cases": scoping.sees_case_data(user),
        "nav_reads_log": scoping.may_read_log(user),
        "nav_uses_admin": scoping.may_use_admin(user),
        "nav_grants_roles": scoping.may_grant_roles(user),
    }
