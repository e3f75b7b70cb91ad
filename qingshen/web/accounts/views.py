from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from qingshen.accounts import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.deadlines import days_left
from qingshen.cases.states import State
from qingshen.programmes import scoping as programmes_scoping


@login_required
def staff_home(request):
    """The bureau staff's home page, its content chosen by role."""
    user = request.user
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
        context["programmes"] = programmes_scoping.programmes_visible(user).select_related("city")[
            : settings.QINGSHEN_SHORTLIST_ROWS
        ]
    context["reads_log"] = scoping.may_read_log(user)
    context["uses_admin"] = scoping.may_use_admin(user)
    return render(request, "accounts/home.html", context)
