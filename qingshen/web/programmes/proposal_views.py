"""A district's proposal page: its listings, the add form (views.listing_add receives it), the district's
submission to the city and the city's return with a comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.programmes import lists, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.web.programmes.forms import CommentForm, ListingAddForm
from qingshen.web.programmes.pages import district_or_404, refused_on, workflow_programme_or_404


def _addable(user, programme, district):
    return selectors.enterprises_addable(user=user, programme=programme, within=district)


def _may_edit(user, programme, addable) -> bool:
    probe = addable.select_related("jurisdiction").first()
    return probe is not None and scoping.may_propose_listing(user, programme, probe)


def proposal_add_form(user, programme, district, data=None):
    """The page's add form for a user who may propose into this district now (None otherwise)."""
    addable = _addable(user, programme, district)
    if not _may_edit(user, programme, addable):
        return None
    return ListingAddForm(data, enterprises=addable, grounds=scoping.listing_grounds(user))


def proposal_context(request, programme, district, *, add_form=None, return_form=None) -> dict:
    user = request.user
    addable = _addable(user, programme, district)
    may_edit = _may_edit(user, programme, addable)
    if add_form is None and may_edit:
        add_form = ListingAddForm(enterprises=addable, grounds=scoping.listing_grounds(user))
    proposal = selectors.proposal_get(programme=programme, district=district)
    return {
        "programme": programme,
        "district": district,
        "proposal": proposal,
        # The page's own address: its forms come back here even when it is shown again by a POST.
        "page_url": reverse("proposal-page", args=[programme.pk, district.pk]),
        "listings": selectors.listings_of(user=user, programme=programme).filter(
            enterprise__jurisdiction__path__startswith=district.path
        ),
        "may_edit": may_edit,
        "add_form": add_form,
        # Once sent, the proposal waits for the city: no second submit until it is returned.
        "may_submit": scoping.may_submit_proposal(user, programme, district)
        and (proposal is None or proposal.open_to_district),
        "may_return": scoping.may_merge_list(user, programme),
        "return_form": return_form or CommentForm(),
    }


@login_required
def proposal_page(request, pk: int, district_pk: int):
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    return render(request, "programmes/proposal.html", proposal_context(request, programme, district))


@login_required
@require_POST
def proposal_submit(request, pk: int, district_pk: int):
    """A button without fields: its refusal is flashed on the page it comes back to."""
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    try:
        lists.list_transition(
            programme=programme, name="proposal.submit", district=district, actor=request.user
        )
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The proposal was sent to the city."))
    return redirect("proposal-page", pk=pk, district_pk=district_pk)


@login_required
@require_POST
def proposal_return(request, pk: int, district_pk: int):
    programme = workflow_programme_or_404(request, pk)
    district = district_or_404(request, programme, district_pk)
    if not scoping.may_merge_list(request.user, programme):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            lists.list_transition(
                programme=programme,
                name="proposal.return",
                district=district,
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("The proposal was returned to the district."))
            return redirect("proposal-page", pk=pk, district_pk=district_pk)
    return render(
        request, "programmes/proposal.html", proposal_context(request, programme, district, return_form=form)
    )
