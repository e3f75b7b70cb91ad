"""Consulting agencies as the reviews see them: the list with their panels' ratings, one agency's
staff (their certificates feed the conflict check), cases served and ratings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.models import Delegation
from qingshen.oversight import scoping as oversight_scoping
from qingshen.registry import scoping as registry_scoping
from qingshen.reviews import rules
from qingshen.reviews.models import AgencyRating
from qingshen.reviews.services import conflicts
from qingshen.web.reviews.calls import on_form
from qingshen.web.reviews.forms import StaffForm


@login_required
def agency_list(request):
    if not registry_scoping.may_see_agencies(request.user):
        raise Http404
    agencies = (
        registry_scoping.agencies_visible(request.user)
        .annotate(
            n_cases=Count("delegations__case", distinct=True),
            rating=Avg("ratings__rating"),
            n_staff=Count("staff", distinct=True),
        )
        .order_by("name", "pk")
    )
    page = Paginator(agencies, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/agency_list.html", {"page": page})


def _ratings_qs(user):
    return (
        AgencyRating.objects.filter(review__case__in=cases_scoping.cases_visible(user).values("pk"))
        .select_related("review__case__enterprise")
        .order_by("-given_at")
    )


def _delegations_qs(user):
    return Delegation.objects.filter(case__in=cases_scoping.cases_visible(user).values("pk")).select_related(
        "case__enterprise", "case__programme"
    )


def _agency_page(request, pk: int, *, staff_form=None):
    agency = get_object_or_404(
        registry_scoping.agencies_visible(request.user).prefetch_related(
            "staff",
            Prefetch("ratings", queryset=_ratings_qs(request.user)),
            Prefetch("delegations", queryset=_delegations_qs(request.user)),
        ),
        pk=pk,
    )
    may_edit = registry_scoping.may_edit_agency(request.user, agency.pk)
    return render(
        request,
        "reviews/agency_detail.html",
        {
            "agency": agency,
            "may_edit": may_edit,
            "staff_form": (staff_form or StaffForm()) if may_edit else None,
            "may_penalise": oversight_scoping.may_penalise(request.user),
            "rating_max": rules.agency_rating_scale()[1],
        },
    )


@login_required
def agency_detail(request, pk: int):
    return _agency_page(request, pk)


@login_required
@require_POST
def agency_staff_add(request, pk: int):
    get_object_or_404(registry_scoping.agencies_visible(request.user), pk=pk)
    form = StaffForm(request.POST)
    if form.is_valid() and on_form(
        request,
        form,
        conflicts.agency_staff_add,
        actor=request.user,
        agency_id=pk,
        name=form.cleaned_data["name"],
        role=form.cleaned_data["role"],
        certificate_no=form.cleaned_data["certificate_no"],
    ):
        messages.success(request, _("Saved."))
        return redirect("agency-detail", pk=pk)
    if not registry_scoping.may_edit_agency(request.user, pk):
        raise Http404
    return _agency_page(request, pk, staff_form=form)
