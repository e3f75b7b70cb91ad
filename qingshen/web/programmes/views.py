from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.programmes import scoping, selectors, services
from qingshen.web.next_url import next_or_programme
from qingshen.web.programmes.forms import ListingAddForm, PublishForm


@login_required
def programme_list(request):
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    return render(
        request, "programmes/programme_list.html", {"programmes": selectors.programme_list(user=request.user)}
    )


@login_required
def programme_detail(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None:
        raise Http404
    user = request.user
    may_propose = scoping.may_add_listings(user, programme)
    holder, missing = selectors.list_holder(
        programme, selectors.proposals_overview(user=user, programme=programme)
    )
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "milestones": programme.milestones.all(),
            "holder": holder,
            "missing": missing,
            "listings": selectors.listings_of(user=user, programme=programme),
            "add_form": ListingAddForm(
                enterprises=selectors.enterprises_addable(user=user, programme=programme)
            )
            if may_propose
            else None,
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()})
            if scoping.may_manage_programme(user, programme) and programme.list_state == "confirmed"
            else None,
        },
    )


@login_required
@require_POST
def listing_add(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None:
        raise Http404
    form = ListingAddForm(
        request.POST, enterprises=selectors.enterprises_addable(user=request.user, programme=programme)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(next_or_programme(request, pk))
    try:
        services.listing_add(
            programme=programme,
            enterprise=form.cleaned_data["enterprise"],
            grounds=form.cleaned_data["grounds"],
            actor=request.user,
            other_reason=form.cleaned_data["other_reason"],
            note=form.cleaned_data["note"],
        )
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Added to the list."))
    # Back where the form was: the programme page or a district's proposal page.
    return redirect(next_or_programme(request, pk))


@login_required
@require_POST
def programme_publish(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None:
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid publication date."))
        return redirect("programme-detail", pk=pk)
    try:
        services.programme_publish(
            programme=programme, actor=request.user, published_on=form.cleaned_data["published_on"]
        )
    except services.ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The list is published; a case was opened for each enterprise."))
    return redirect("programme-detail", pk=pk)
