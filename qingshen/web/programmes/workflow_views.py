"""The city's merge of the districts' proposals with its submission to the province (in a
province-level city, its own confirmation), and the province's confirmation page (confirm, or return
to the city with a comment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.programmes import lists, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.web.programmes.forms import CommentForm
from qingshen.web.programmes.pages import refused_on, workflow_programme_or_404


@login_required
def merge_page(request, pk: int):
    """The city's view of every district's proposal, with the step to the province."""
    programme = workflow_programme_or_404(request, pk)
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
            "draft_step": lists.city_step_from_draft(programme),
            "listing_count": programme.listings.count(),
        },
    )


@login_required
@require_POST
def programme_submit(request, pk: int):
    """A button without fields: its refusal is flashed on the page it comes back to."""
    programme = workflow_programme_or_404(request, pk)
    if not scoping.may_manage_programme(request.user, programme):
        raise Http404
    step = lists.city_step_from_draft(programme)
    try:
        lists.list_transition(programme=programme, name=step.name, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        if step.target == programme.ListState.SUBMITTED:
            messages.success(request, _("The list was submitted to the province."))
        else:
            messages.success(request, _("The list is confirmed; publish it with its date P."))
    return redirect("programme-merge", pk=pk)


@login_required
def confirm_page(request, pk: int):
    """The province reads the submitted list and confirms it or returns it with a comment."""
    programme = workflow_programme_or_404(request, pk)
    if not scoping.may_see_confirmation(request.user, programme):
        raise Http404
    return_form = CommentForm()
    if request.method == "POST":
        if request.POST.get("decision") == "confirm":
            # The confirm button has no fields: its refusal is flashed.
            try:
                lists.list_transition(programme=programme, name="confirm", actor=request.user)
            except ProgrammeError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The list is confirmed; the city can publish it."))
            return redirect("programme-confirm", pk=pk)
        return_form = CommentForm(request.POST)
        if return_form.is_valid():
            try:
                lists.list_transition(
                    programme=programme,
                    name="return",
                    actor=request.user,
                    comment=return_form.cleaned_data["comment"],
                )
            except ProgrammeError as exc:
                refused_on(return_form, exc)
            else:
                messages.success(request, _("The list was returned to the city."))
                return redirect("programme-confirm", pk=pk)
    return render(
        request,
        "programmes/confirm.html",
        {
            "programme": programme,
            "listings": selectors.listings_of(user=request.user, programme=programme),
            "may_decide": scoping.may_confirm_list(request.user, programme),
            "return_form": return_form,
        },
    )
