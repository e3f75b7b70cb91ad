"""Pages of the list's workflow: a district's proposal, the city's merge, the province's confirmation,
amendments after publication, the carry-over list (附件2) and the plan list (附件4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.programmes import scoping, selectors, services
from qingshen.web.next_url import next_or_programme
from qingshen.web.programmes.forms import (
    AmendAddForm,
    AmendRemoveForm,
    CommentForm,
    ListingAddForm,
    PlanAddForm,
    RelistForm,
)


def _programme_or_404(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not accounts_scoping.sees_case_data(request.user):
        raise Http404
    return programme


def _district_or_404(request, programme, district_pk):
    district = scoping.proposal_districts_visible(request.user, programme).filter(pk=district_pk).first()
    if district is None:
        raise Http404
    return district


def _flash_errors(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def proposal_page(request, pk: int, district_pk: int):
    programme = _programme_or_404(request, pk)
    district = _district_or_404(request, programme, district_pk)
    user = request.user
    listings = selectors.listings_of(user=user, programme=programme).filter(
        enterprise__jurisdiction__path__startswith=district.path
    )
    addable = selectors.enterprises_addable(user=user, programme=programme, within=district)
    probe = addable.select_related("jurisdiction").first()
    may_edit = probe is not None and scoping.may_propose_listing(user, programme, probe)
    proposal = selectors.proposal_get(programme=programme, district=district)
    return render(
        request,
        "programmes/proposal.html",
        {
            "programme": programme,
            "district": district,
            "proposal": proposal,
            "listings": listings,
            "may_edit": may_edit,
            "add_form": ListingAddForm(enterprises=addable) if may_edit else None,
            # Once sent, the proposal waits for the city: no second submit until it is returned.
            "may_submit": scoping.may_submit_proposal(user, programme, district)
            and (proposal is None or proposal.open_to_district),
            "may_return": scoping.may_merge_list(user, programme),
            "return_form": CommentForm(),
        },
    )


@login_required
@require_POST
def proposal_submit(request, pk: int, district_pk: int):
    programme = _programme_or_404(request, pk)
    district = _district_or_404(request, programme, district_pk)
    try:
        services.proposal_submit(programme=programme, district=district, actor=request.user)
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal was sent to the city."))
    return redirect("proposal-page", pk=pk, district_pk=district_pk)


@login_required
@require_POST
def proposal_return(request, pk: int, district_pk: int):
    programme = _programme_or_404(request, pk)
    district = _district_or_404(request, programme, district_pk)
    if not scoping.may_merge_list(request.user, programme):
        raise Http404
    try:
        services.proposal_return(
            programme=programme,
            district=district,
            actor=request.user,
            comment=request.POST.get("comment", ""),
        )
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal was returned to the district."))
    return redirect("proposal-page", pk=pk, district_pk=district_pk)


@login_required
@require_POST
def listing_remove(request, pk: int, listing_pk: int):
    programme = _programme_or_404(request, pk)
    listing = selectors.listings_of(user=request.user, programme=programme).filter(pk=listing_pk).first()
    if listing is None:
        raise Http404
    try:
        services.listing_remove(listing=listing, actor=request.user)
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Taken off the draft list."))
    return redirect(next_or_programme(request, pk))


@login_required
def merge_page(request, pk: int):
    """The city's view of every district's proposal, with the step to the province."""
    programme = _programme_or_404(request, pk)
    if not scoping.may_manage_programme(request.user, programme):
        raise Http404
    overview = selectors.proposals_overview(user=request.user, programme=programme)
    holder, missing = selectors.list_holder(programme, overview)
    return render(
        request,
        "programmes/merge.html",
        {
            "programme": programme,
            "overview": overview,
            "holder": holder,
            "missing": missing,
            "may_submit": scoping.may_merge_list(request.user, programme),
            "listing_count": programme.listings.count(),
        },
    )


@login_required
@require_POST
def programme_submit(request, pk: int):
    programme = _programme_or_404(request, pk)
    if not scoping.may_manage_programme(request.user, programme):
        raise Http404
    try:
        services.programme_submit(programme=programme, actor=request.user)
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The list was submitted to the province."))
    return redirect("programme-merge", pk=pk)


@login_required
def confirm_page(request, pk: int):
    """The province reads the submitted list and confirms it or returns it with a comment."""
    programme = _programme_or_404(request, pk)
    if not scoping.may_see_confirmation(request.user, programme):
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "confirm":
                services.programme_confirm(programme=programme, actor=request.user)
                messages.success(request, _("The list is confirmed; the city can publish it."))
            else:
                services.programme_return(
                    programme=programme, actor=request.user, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("The list was returned to the city."))
        except services.ProgrammeError as exc:
            messages.error(request, exc.message)
        return redirect("programme-confirm", pk=pk)
    return render(
        request,
        "programmes/confirm.html",
        {
            "programme": programme,
            "listings": selectors.listings_of(user=request.user, programme=programme),
            "may_decide": scoping.may_confirm_list(request.user, programme),
            "return_form": CommentForm(),
        },
    )


@login_required
def amendments_page(request, pk: int):
    programme = _programme_or_404(request, pk)
    user = request.user
    if not scoping.may_see_list_workflow(user, programme):
        raise Http404
    may_amend = scoping.may_amend_list(user, programme)
    addable = selectors.enterprises_addable(user=user, programme=programme)
    removable = (
        programme.listings.filter(case__state__in=_open_states())
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    add_form = AmendAddForm(enterprises=addable, prefix="add")
    remove_form = AmendRemoveForm(listings=removable, prefix="remove")
    if request.method == "POST":
        if not may_amend:
            raise Http404
        if request.POST.get("kind") == "add":
            add_form = AmendAddForm(request.POST, request.FILES, enterprises=addable, prefix="add")
            form = add_form
        else:
            remove_form = AmendRemoveForm(request.POST, request.FILES, listings=removable, prefix="remove")
            form = remove_form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if form is add_form:
                    services.amendment_add(
                        programme=programme,
                        enterprise=data["enterprise"],
                        grounds=data["grounds"],
                        other_reason=data["other_reason"],
                        reason=data["reason"],
                        upload=data["document"],
                        actor=user,
                    )
                else:
                    services.amendment_remove(
                        listing=data["listing"], reason=data["reason"], upload=data["document"], actor=user
                    )
            except services.ProgrammeError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The amendment is recorded."))
                return redirect("programme-amendments", pk=pk)
        else:
            _flash_errors(request, form)
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


def _open_states():
    from qingshen.cases.states import CLOSED_STATES, State

    return [s for s in State.values if s not in CLOSED_STATES]


@login_required
def carry_over_page(request, pk: int):
    programme = _programme_or_404(request, pk)
    if not scoping.may_see_list_workflow(request.user, programme):
        raise Http404
    cases = selectors.carry_over_cases(user=request.user, programme=programme)
    return render(
        request,
        "programmes/carry_over.html",
        {
            "programme": programme,
            "cases": cases,
            "may_relist": scoping.may_merge_list(request.user, programme),
            "relist_form": RelistForm(),
        },
    )


@login_required
@require_POST
def relist(request, pk: int, case_pk: int):
    programme = _programme_or_404(request, pk)
    if not scoping.may_merge_list(request.user, programme):
        raise Http404
    case = selectors.carry_over_cases(user=request.user, programme=programme).filter(pk=case_pk).first()
    if case is None:
        raise Http404
    form = RelistForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
    else:
        try:
            services.listing_relist(
                programme=programme,
                case=case,
                grounds=form.cleaned_data["grounds"],
                other_reason=form.cleaned_data["other_reason"],
                actor=request.user,
            )
        except services.ProgrammeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Re-listed into this year's list."))
    return redirect("programme-carry-over", pk=pk)


@login_required
def plan_page(request, pk: int):
    programme = _programme_or_404(request, pk)
    user = request.user
    if not scoping.may_see_list_workflow(user, programme):
        raise Http404
    addable = selectors.enterprises_addable(user=user, programme=programme, plan=True)
    may_add = scoping.may_add_to_plan(user, programme)
    form = PlanAddForm(enterprises=addable, year=programme.year) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise Http404
        form = PlanAddForm(request.POST, enterprises=addable, year=programme.year)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.plan_entry_add(
                    programme=programme,
                    enterprise=data["enterprise"],
                    planned_year=data["planned_year"],
                    grounds=data["grounds"],
                    note=data["note"],
                    actor=user,
                )
            except services.ProgrammeError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Added to the plan list."))
                return redirect("programme-plan", pk=pk)
        else:
            _flash_errors(request, form)
    return render(
        request,
        "programmes/plan.html",
        {
            "programme": programme,
            "entries": selectors.plan_entries_of(user=user, programme=programme),
            "form": form,
        },
    )
