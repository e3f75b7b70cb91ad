from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.oversight import scoping, spotchecks
from qingshen.web.oversight.forms import SpotCheckConcludeForm, SpotCheckDrawForm, SpotCheckFindingForm


def _get(user, pk):
    spot = scoping.spotchecks_visible(user).select_related("city").filter(pk=pk).first()
    if spot is None:
        raise Http404
    return spot


@login_required
def spotcheck_list(request):
    user = request.user
    if not scoping.may_see_accountability(user):
        raise Http404
    may_draw = scoping.may_run_spotchecks(user)
    form = SpotCheckDrawForm(
        request.POST or None, initial={"year": timezone.localdate().year - 1, "mode": "percent", "amount": 10}
    )
    if request.method == "POST":
        if not may_draw:
            raise Http404
        if form.is_valid():
            try:
                spot = spotchecks.spotcheck_draw(city=user.jurisdiction, actor=user, **form.cleaned_data)
            except spotchecks.SpotCheckRefused as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("spotcheck-detail", spot.pk)
    spots = scoping.spotchecks_visible(user).select_related("city").order_by("-year", "-pk")
    return render(
        request, "oversight/spotcheck_list.html", {"spots": spots, "form": form, "may_draw": may_draw}
    )


@login_required
def spotcheck_detail(request, pk: int):
    spot = _get(request.user, pk)
    items = spot.items.select_related("case__enterprise", "case__jurisdiction").order_by(
        "case__jurisdiction__name", "case_id"
    )
    return render(
        request,
        "oversight/spotcheck_detail.html",
        {
            "spot": spot,
            "items": items,
            "verification": spotchecks.spotcheck_verify(spot),
            "may_edit": scoping.may_run_spotchecks(request.user) and spot.concluded_at is None,
            "conclude_form": SpotCheckConcludeForm(),
        },
    )


@login_required
@require_POST
def spotcheck_finding(request, pk: int, item_pk: int):
    spot = _get(request.user, pk)
    item = spot.items.filter(pk=item_pk).first()
    if item is None or not scoping.may_run_spotchecks(request.user):
        raise Http404
    form = SpotCheckFindingForm(request.POST)
    try:
        if not form.is_valid():
            raise spotchecks.SpotCheckRefused(_("Choose a verdict."))
        spotchecks.spotcheck_finding(item_id=item.pk, actor=request.user, **form.cleaned_data)
    except spotchecks.SpotCheckRefused as exc:
        messages.error(request, str(exc))
    return redirect("spotcheck-detail", spot.pk)


@login_required
@require_POST
def spotcheck_conclude(request, pk: int):
    spot = _get(request.user, pk)
    if not scoping.may_run_spotchecks(request.user):
        raise Http404
    form = SpotCheckConcludeForm(request.POST)
    try:
        if not form.is_valid():
            raise spotchecks.SpotCheckRefused(_("Write the result."))
        spotchecks.spotcheck_conclude(spot_id=spot.pk, result=form.cleaned_data["result"], actor=request.user)
    except spotchecks.SpotCheckRefused as exc:
        messages.error(request, str(exc))
    return redirect("spotcheck-detail", spot.pk)


@login_required
def spotcheck_circular(request, pk: int):
    spot = _get(request.user, pk)
    if spot.concluded_at is None:
        raise Http404
    response = HttpResponse(spotchecks.circular_pdf(spot), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="spotcheck-{spot.year}.pdf"'
    return response
