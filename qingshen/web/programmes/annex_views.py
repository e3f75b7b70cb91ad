"""The pages beside the list: amendments after publication, the carry-over list (附件2) with its
re-listing, and the plan list (附件4). A form with errors, or refused by the service, is shown again with
the errors beside its fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases.states import CLOSED_STATES, State
from qingshen.programmes import amendments, listings, plan, reaudit, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.web.programmes.forms import AmendAddForm, AmendRemoveForm, PlanAddForm, RelistForm
from qingshen.web.programmes.pages import refused_on, workflow_programme_or_404

OPEN_STATES = [s for s in State.values if s not in CLOSED_STATES]


@login_required
def amendments_page(request, pk: int):
    programme = workflow_programme_or_404(request, pk)
    user = request.user
    if not scoping.may_see_list_workflow(user, programme):
        raise Http404
    may_amend = scoping.may_amend_list(user, programme)
    addable = selectors.enterprises_addable(user=user, programme=programme)
    removable = (
        programme.listings.filter(case__state__in=OPEN_STATES)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    add_form = AmendAddForm(enterprises=addable, prefix="add")
    remove_form = AmendRemoveForm(listings=removable, prefix="remove")
    if request.method == "POST":
        if not may_amend:
            raise Http404
        if request.POST.get("kind") == "add":
            form = add_form = AmendAddForm(request.POST, request.FILES, enterprises=addable, prefix="add")
        else:
            form = remove_form = AmendRemoveForm(
                request.POST, request.FILES, listings=removable, prefix="remove"
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is add_form:
                    amendments.amendment_add(
                        programme=programme,
                        enterprise=data["enterprise"],
                        grounds=data["grounds"],
                        other_reason=data["other_reason"],
                        reason=data["reason"],
                        upload=data["document"],
                        actor=user,
                    )
                else:
                    amendments.amendment_remove(
                        listing=data["listing"], reason=data["reason"], upload=data["document"], actor=user
                    )
            except ProgrammeError as exc:
                refused_on(form, exc)
            else:
                messages.success(request, _("The amendment is recorded."))
                return redirect("programme-amendments", pk=pk)
    return render(
        request,
        "programmes/amendments.html",
        {
            "programme": programme,
            "amendments": selectors.amendments_of(user=user, programme=programme),
            "may_amend": may_amend,
            "add_form": add_form,
            "remove_form": remove_form,
        },
    )


def _carry_over(request, programme, *, relist_form=None, relist_case=None):
    cases = selectors.carry_over_cases(user=request.user, programme=programme)
    return render(
        request,
        "programmes/carry_over.html",
        {
            "programme": programme,
            "cases": cases,
            "may_relist": scoping.may_merge_list(request.user, programme),
            "relist_form": relist_form or RelistForm(),
            # The row whose re-listing is shown again with its errors.
            "relist_case": relist_case,
        },
    )


@login_required
def carry_over_page(request, pk: int):
    programme = workflow_programme_or_404(request, pk)
    if not scoping.may_see_list_workflow(request.user, programme):
        raise Http404
    return _carry_over(request, programme)


@login_required
@require_POST
def relist(request, pk: int, case_pk: int):
    programme = workflow_programme_or_404(request, pk)
    if not scoping.may_merge_list(request.user, programme):
        raise Http404
    cases = selectors.carry_over_cases(user=request.user, programme=programme)
    case = cases.filter(pk=case_pk).first()
    if case is None:
        raise Http404
    form = RelistForm(request.POST)
    if form.is_valid():
        try:
            listings.listing_relist(
                programme=programme,
                case=case,
                grounds=form.cleaned_data["grounds"],
                other_reason=form.cleaned_data["other_reason"],
                actor=request.user,
            )
        except ProgrammeError as exc:
            if not cases.filter(pk=case.pk, relistable=True).exists():
                # The row has no re-list form any more (re-listed meanwhile): say it on the page.
                messages.error(request, exc.message)
                return redirect("programme-carry-over", pk=pk)
            refused_on(form, exc)
        else:
            messages.success(request, _("Re-listed into this year's list."))
            return redirect("programme-carry-over", pk=pk)
    return _carry_over(request, programme, relist_form=form, relist_case=case.pk)


@login_required
def plan_page(request, pk: int):
    programme = workflow_programme_or_404(request, pk)
    user = request.user
    if not scoping.may_see_list_workflow(user, programme):
        raise Http404
    addable = selectors.enterprises_addable(user=user, programme=programme, plan=True)
    may_add = scoping.may_add_to_plan(user, programme)
    years = plan.plan_years(programme.year)
    form = PlanAddForm(enterprises=addable, years=years) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise Http404
        form = PlanAddForm(request.POST, enterprises=addable, years=years)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan.plan_entry_add(
                    programme=programme,
                    enterprise=data["enterprise"],
                    planned_year=data["planned_year"],
                    grounds=data["grounds"],
                    note=data["note"],
                    actor=user,
                )
            except ProgrammeError as exc:
                refused_on(form, exc)
            else:
                messages.success(request, _("Added to the plan list."))
                return redirect("programme-plan", pk=pk)
    return render(
        request,
        "programmes/plan.html",
        {
            "programme": programme,
            "entries": selectors.plan_entries_of(user=user, programme=programme),
            "years": "、".join(map(str, years)),
            "reaudits": reaudit.reaudit_candidates(user=user, programme=programme, years=years),
            "form": form,
        },
    )
