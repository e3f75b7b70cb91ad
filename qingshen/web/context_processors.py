from qingshen.accounts import scoping
from qingshen.cases import scoping as cases_scoping
from qingshen.notifications import scoping as notifications_scoping
from qingshen.oversight import scoping as oversight_scoping
from qingshen.registry import scoping as registry_scoping
from qingshen.reports import scoping as reports_scoping
from qingshen.reviews import scoping as reviews_scoping

# Every answer role_menu gives: the navigation bar's menus are drawn once for each set of them (nav_tags).
MENU_FLAGS = (
    "nav_sees_cases",
    "nav_reads_log",
    "nav_uses_admin",
    "nav_grants_roles",
    "nav_dashboard",
    "nav_warnings",
    "nav_supervision",
    "nav_portal",
    "nav_library",
    "nav_outbox",
    "nav_expert_pool",
    "nav_agencies",
    "nav_quality_ratings",
    "nav_review_settings",
    "nav_bureau_settings",
)


def role_menu(request):
    """What the navigation bar may offer this user. The answers past the first four are callables:
    Django calls them only when a template asks."""
    user = getattr(request, "user", None)
    return {
        "nav_sees_cases": scoping.sees_case_data(user),
        "nav_reads_log": scoping.may_read_log(user),
        "nav_uses_admin": scoping.may_use_admin(user),
        "nav_grants_roles": scoping.may_grant_roles(user),
        "nav_dashboard": lambda: reports_scoping.may_see_dashboard(user),
        "nav_warnings": lambda: oversight_scoping.may_see_warnings(user),
        "nav_supervision": lambda: oversight_scoping.may_see_accountability(user),
        "nav_portal": lambda: scoping.may_use_portal(user),
        "nav_library": lambda: cases_scoping.may_use_library(user),
        "nav_outbox": lambda: notifications_scoping.may_review_outbox(user),
        "nav_expert_pool": lambda: reviews_scoping.may_see_expert_pool(user),
        "nav_agencies": lambda: registry_scoping.may_see_agencies(user),
        "nav_quality_ratings": lambda: reviews_scoping.may_see_ratings(user),
        "nav_review_settings": lambda: reviews_scoping.may_configure_reviews(user),
        "nav_bureau_settings": lambda: registry_scoping.bureau_settings_jurisdiction(user) is not None,
    }
