from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.states import CLOSED_STATES
from qingshen.core.keyset import keyset_page, querystring_without_cursor
from qingshen.oversight import scoping, selectors, services
from qingshen.oversight.models import AccountabilityRecord
from qingshen.web.oversight.forms import (
    AccountabilityCloseForm,
    AccountabilityFilterForm,
    AccountabilityOpenForm,
    WarningFilterForm,
)


@login_required
def rule_list(request):
    """The time limits in force, with their sources: staff see what drives their deadlines."""
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    return render(request, "oversight/rule_list.html", {"rules": selectors.rules_all()})


def _seek(request, queryset, order, *, count_in_order=False):
    """The page the links ask for, at the same cost at any depth; the total exact up to a limit."""
    return keyset_page(
        queryset,
        order,
        size=settings.QINGSHEN_PAGE_SIZE,
        params=request.GET,
        exact_up_to=settings.QINGSHEN_LIST_EXACT_COUNT_UP_TO,
        count_in_order=count_in_order,
    )


@login_required
def warning_list(request):
    """The warnings of the user's scope: staff, enterprises and agencies each see their own."""
    if not scoping.may_see_warnings(request.user):
        raise Http404
    form = WarningFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    warnings = selectors.warning_list(
        user=request.user, level=filters.get("level", ""), still_open=not filters.get("history")
    )
    page = _seek(request, warnings, selectors.WARNING_ORDER)
    today = timezone.localdate()
    rows = [(w, (w.due_on - today).days) for w in page.object_list]
    permit_warnings = scoping.permit_warnings_visible(request.user).exclude(case__state__in=CLOSED_STATES)
    return render(
        request,
        "oversight/warning_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "querystring": querystring_without_cursor(request.GET),
            "permit_warnings": permit_warnings[: settings.QINGSHEN_SHORTLIST_ROWS],
            "annual_warnings": selectors.annual_warnings_open(user=request.user)[
                : settings.QINGSHEN_SHORTLIST_ROWS
            ],
        },
    )


@login_required
def accountability_list(request):
    """Supervision page (追责情形): read-only for the supervisor; the city may close with an explanation."""
    user = request.user
    if not scoping.may_see_accountability(user):
        raise Http404
    form = AccountabilityFilterForm(
        request.GET or None,
        sections=selectors.accountability_sections(user=user),
        districts=accounts_scoping.jurisdictions_visible(user).filter(level="district"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.accountability_list(
        user=user,
        state=filters.get("state", ""),
        section=filters.get("section", ""),
        district=filters.get("district"),
    )
    # Scoped by the cases' districts (a join): counted in the page's order, the count reads the first
    # records and their cases by key, not every case of the scope.
    page = _seek(request, records, selectors.ACCOUNTABILITY_ORDER, count_in_order=True)
    return render(
        request,
        "oversight/accountability_list.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring_without_cursor(request.GET),
            "may_close": scoping.may_close_accountability_records(user),
            "closable": scoping.accountability_closable(user, page.object_list),
            "close_form": AccountabilityCloseForm(),
        },
    )


@login_required
@require_POST
def accountability_close(request, pk: int):
    record = selectors.accountability_get(user=request.user, pk=pk)
    if record is None or not scoping.may_close_accountability(request.user, record):
        raise Http404
    form = AccountabilityCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A record is closed only with an explanation."))
    else:
        try:
            services.accountability_close(
                record_id=record.pk, explanation=form.cleaned_data["explanation"], actor=request.user
            )
            messages.success(request, _("Record closed."))
        except services.AccountabilityRefused as exc:
            messages.error(request, str(exc))
    return redirect("accountability-list")


@login_required
def accountability_open(request, case_pk: int):
    """The city enters an accountability case by hand (其他违反法律法规规章规定的行为)."""
    case = case_selectors.case_get(user=request.user, pk=case_pk)
    if case is None or not scoping.may_open_accountability(request.user, case):
        raise Http404
    form = AccountabilityOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accountability_open(
            case=case,
            kind=AccountabilityRecord.Kind.OTHER,
            duty=form.cleaned_data["duty"],
            explanation=form.cleaned_data["explanation"],
            actor=request.user,
        )
        messages.success(request, _("Accountability record opened."))
        return redirect("accountability-list")
    return render(request, "oversight/accountability_open.html", {"form": form, "case": case})
