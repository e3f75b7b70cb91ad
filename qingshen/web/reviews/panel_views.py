"""The panel's buttons on an application's page: draw, verify the draw, redraw a declined seat. A
refused draw or redraw comes back on the application's page, on the button's form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.reviews import scoping
from qingshen.reviews.models import Expert, PanelSeat
from qingshen.reviews.services import draw
from qingshen.web.reviews.calls import on_form
from qingshen.web.reviews.forms import ActionForm
from qingshen.web.reviews.review_views import review_or_404, review_page


@login_required
@require_POST
def panel_draw(request, pk: int):
    review = review_or_404(request.user, pk)
    form = ActionForm(request.POST)
    if on_form(request, form, draw.panel_draw, review_id=pk, actor=request.user):
        messages.success(request, _("The panel was drawn."))
        return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="draw_form")


@login_required
@require_POST
def panel_verify(request, pk: int):
    review = review_or_404(request.user, pk)
    panel = getattr(review, "panel", None)
    if panel is None or not scoping.may_verify_panel(request.user, review):
        raise Http404
    result = draw.panel_verify(panel=panel, actor=request.user)
    names = dict(
        Expert.objects.filter(pk__in=set(result["expected"]) | set(result["actual"])).values_list(
            "pk", "name"
        )
    )
    rows = [
        (n + 1, names.get(e), names.get(a), e == a)
        for n, (e, a) in enumerate(
            zip(result["expected"] + [None] * len(result["actual"]), result["actual"], strict=False)
        )
    ]
    return render(
        request, "reviews/verify.html", {"review": review, "panel": panel, "result": result, "rows": rows}
    )


@login_required
@require_POST
def seat_redraw(request, pk: int, seat_pk: int):
    review = review_or_404(request.user, pk)
    if not PanelSeat.objects.filter(pk=seat_pk, panel__review_id=pk).exists():
        raise Http404
    form = ActionForm(request.POST)
    if on_form(request, form, draw.seat_redraw, seat_id=seat_pk, actor=request.user):
        messages.success(request, _("The seat was redrawn from the same record."))
        return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="redraw_form", seat_pk=seat_pk)
