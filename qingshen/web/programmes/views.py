"""The programmes, a programme's list page, adding to a draft list and publishing it.

A form with errors, or refused by the service, is shown again on its page with the errors beside its
fields; a refusal is flashed only when the user's page carries no such form."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.programmes import listings, lists, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.reports import scoping as reports_scoping
from qingshen.web.next_url import next_or_programme
from qingshen.web.programmes.forms import ListingAddForm, PublishForm
from qingshen.web.programmes.pages import programme_or_404, refused_on, workflow_programme_or_404
from qingshen.web.programmes.proposal_views import proposal_add_form, proposal_context


@login_required
def programme_list(request):
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    user = request.user
    city = user.jurisdiction if user.jurisdiction_id else None
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": selectors.programme_list(user=user),
            "may_create": scoping.may_create_programme(user, city),
            "may_import_history": scoping.may_import_history(user),
            "may_enter_summary": city is not None and reports_scoping.may_enter_summary(user, city),
        },
    )


def _may_publish(user, programme) -> bool:
    return scoping.may_manage_programme(user, programme) and programme.list_state == "confirmed"


def _add_form(user, programme, data=None):
    """The programme page's add form, for a user who gets it (None otherwise)."""
    if not scoping.may_add_listings(user, programme):
        return None
    return ListingAddForm(
        data,
        enterprises=selectors.enterprises_addable(user=user, programme=programme),
        grounds=scoping.listing_grounds(user),
    )


def _detail(request, programme, *, add_form=None, publish_form=None):
    user = request.user
    holder, missing = selectors.list_holder(
        programme, selectors.proposals_overview(user=user, programme=programme)
    )
    if add_form is None:
        add_form = _add_form(user, programme)
    if publish_form is None and _may_publish(user, programme):
        publish_form = PublishForm(initial={"published_on": timezone.localdate()})
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "milestones": programme.milestones.all(),
            "holder": holder,
            "missing": missing,
            "listings": selectors.listings_of(user=user, programme=programme),
            "add_form": add_form,
            "publish_form": publish_form,
            "may_edit": scoping.may_edit_programme(user, programme),
            # The progress returns page of a "progress report due" milestone, for those it serves.
            "progress_link": scoping.may_file_progress(user, programme)
            or scoping.may_see_progress_board(user, programme),
        },
    )


@login_required
def programme_detail(request, pk: int):
    return _detail(request, programme_or_404(request, pk))


def _proposal_sent_from(request, programme, back: str):
    """The district whose proposal page the add form was sent from, or None (the programme page)."""
    try:
        match = resolve(urlsplit(back).path)
    except Resolver404:
        return None
    if match.url_name != "proposal-page" or match.kwargs.get("pk") != programme.pk:
        return None
    return (
        scoping.proposal_districts_visible(request.user, programme)
        .filter(pk=match.kwargs["district_pk"])
        .first()
    )


@login_required
@require_POST
def listing_add(request, pk: int):
    """The add form of the programme page and of a district's proposal page (its `next`)."""
    programme = programme_or_404(request, pk)
    user = request.user
    back = next_or_programme(request, pk)
    district = _proposal_sent_from(request, programme, back)
    if district is not None:
        form = proposal_add_form(user, programme, district, request.POST)
    else:
        form = _add_form(user, programme, request.POST)
    if form is None:  # the page holds no add form for this user: nothing to show the refusal on
        messages.error(request, _("You may not add this enterprise to this programme's list."))
        return redirect(back)
    if form.is_valid():
        try:
            listings.listing_add(
                programme=programme,
                enterprise=form.cleaned_data["enterprise"],
                grounds=form.cleaned_data["grounds"],
                actor=user,
                other_reason=form.cleaned_data["other_reason"],
                note=form.cleaned_data["note"],
            )
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            messages.success(request, _("Added to the list."))
            # Back where the form was: the programme page or a district's proposal page.
            return redirect(back)
    if district is not None:
        return render(
            request,
            "programmes/proposal.html",
            proposal_context(request, programme, district, add_form=form),
        )
    return _detail(request, programme, add_form=form)


@login_required
@require_POST
def programme_publish(request, pk: int):
    programme = programme_or_404(request, pk)
    on_page = _may_publish(request.user, programme)  # whether this user's page has the publish form
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            lists.list_transition(
                programme=programme,
                name="publish",
                actor=request.user,
                published_on=form.cleaned_data["published_on"],
            )
        except ProgrammeError as exc:
            if not on_page:
                messages.error(request, exc.message)
                return redirect("programme-detail", pk=pk)
            refused_on(form, exc)
        else:
            messages.success(request, _("The list is published; a case was opened for each enterprise."))
            return redirect("programme-detail", pk=pk)
    elif not on_page:
        messages.error(request, _("Enter a valid publication date."))
        return redirect("programme-detail", pk=pk)
    return _detail(request, programme, publish_form=form)


@login_required
@require_POST
def listing_remove(request, pk: int, listing_pk: int):
    """A button without fields: its refusal is flashed on the page it comes back to."""
    programme = workflow_programme_or_404(request, pk)
    listing = selectors.listings_of(user=request.user, programme=programme).filter(pk=listing_pk).first()
    if listing is None:
        raise Http404
    try:
        listings.listing_remove(listing=listing, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Taken off the draft list."))
    return redirect(next_or_programme(request, pk))
