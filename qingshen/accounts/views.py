from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from qingshen.accounts import scoping
from qingshen.accounts.roles import Role
from qingshen.cases import selectors as case_selectors
from qingshen.cases.deadlines import days_left
from qingshen.cases.states import State


@login_required
def home(request):
    """One home page, its content chosen by role."""
    user = request.user
    if user.role in {Role.ENTERPRISE, Role.AGENCY}:
        # The enterprise's (and agency's) home is the portal page: stage, next step, documents (issue 5).
        from qingshen.portal.views import portal_home

        return portal_home(request)
    context = {"role": user.role}
    if scoping.sees_case_data(user):
        counts = case_selectors.case_counts_by_state(user=user)
        context["state_counts"] = [(s, counts.get(s.value, 0)) for s in State]
        context["total_cases"] = sum(counts.values())
        context["overdue"] = case_selectors.overdue_count(user=user)
        today = timezone.localdate()
        upcoming = case_selectors.case_list(user=user, sort="deadline").filter(next_due_on__isnull=False)[
            : settings.QINGSHEN_SHORTLIST_ROWS
        ]
        context["upcoming"] = [(c, days_left(c.next_due_on, today)) for c in upcoming]
        context["programmes"] = scoping.programmes_visible(user).select_related("city")[
            : settings.QINGSHEN_SHORTLIST_ROWS
        ]
    context["is_enterprise"] = user.role == Role.ENTERPRISE
    context["reads_log"] = scoping.may_read_log(user)
    context["uses_admin"] = scoping.may_use_admin(user)
    return render(request, "accounts/home.html", context)
