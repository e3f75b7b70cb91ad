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
from qingshen.programmes.plan_window import plan_closes_on, plan_open
from qingshen.web.programmes.forms import AmendAddForm, AmendRemoveForm, CommentForm, PlanAddForm, RelistForm
from qingshen.web.programmes.pages import district_or_404, refused_on, workflow_programme_or_404

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
    return _plan(request, programme, form=form)


def _plan(request, programme, *, form=None, return_form=None, return_district=None, status=200):
    user = request.user
    own = scoping.own_proposal_district(user, programme)
    parts = selectors.plan_parts(user=user, programme=programme)
    years = plan.plan_years(programme.year)
    return render(
        request,
        "programmes/plan.html",
        {
            "programme": programme,
            "entries": selectors.plan_entries_of(user=user, programme=programme),
            "years": "、".join(map(str, years)),
            "reaudits": reaudit.reaudit_candidates(user=user, programme=programme, years=years),
            "form": form,
            "closes_on": plan_closes_on(programme),
            "is_open": plan_open(programme),
            "parts": parts if scoping.may_decide_plan(user, programme) else [],
            "own_part": next((p for p in parts if p["district"] == own), None) if own else None,
            "may_submit": own is not None and scoping.may_submit_plan(user, programme, own),
            "return_form": return_form or CommentForm(),
            "return_district": return_district,
        },
        status=status,
    )


@login_required
@require_POST
def plan_submit(request, pk: int, district_pk: int):
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    if scoping.own_proposal_district(request.user, programme) != district:
        raise Http404
    try:
        plan.plan_submit(programme=programme, district=district, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your district's plan was sent to the city."))
    return redirect("programme-plan", pk=pk)


@login_required
@require_POST
def plan_return(request, pk: int, district_pk: int):
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    if not scoping.may_decide_plan(request.user, programme):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            plan.plan_return(
                programme=programme,
                district=district,
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("The plan was returned to the district."))
            return redirect("programme-plan", pk=pk)
    return _plan(request, programme, return_form=form, return_district=district.pk, status=400)


@login_required
@require_POST
def plan_merge(request, pk: int, district_pk: int):
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    if not scoping.may_decide_plan(request.user, programme):
        raise Http404
    try:
        plan.plan_merge(programme=programme, district=district, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The district's plan is on the city's plan list."))
    return redirect("programme-plan", pk=pk)
