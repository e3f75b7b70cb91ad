from qingshen.accounts import scoping


def role_menu(request):
    """What the navigation bar may offer this user. The answers past the first four are callables:
    Django calls them only when a template asks."""
    user = getattr(request, "user", None)
    return {
        "nav_sees_cases": scoping.sees_case_data(user),
        "nav_reads_log": scoping.may_read_log(user),
        "nav_uses_admin": scoping.may_use_admin(user),
        "nav_grants_roles": scoping.may_grant_roles(user),
        "nav_dashboard": lambda: scoping.may_see_dashboard(user),
        "nav_warnings": lambda: scoping.may_see_warnings(user),
        "nav_supervision": lambda: scoping.may_see_accountability(user),
        "nav_portal": lambda: scoping.may_use_portal(user),
        "nav_outbox": lambda: scoping.may_review_outbox(user),
        "nav_expert_pool": lambda: scoping.may_see_expert_pool(user),
        "nav_agencies": lambda: scoping.may_see_agencies(user),
        "nav_review_settings": lambda: scoping.may_configure_reviews(user),
    }
