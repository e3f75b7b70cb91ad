"""The expert's portal and seat page (phone-sized): answer the invitation, score, and, for the chair,
confirm the conclusion. A form that fails comes back on the seat page with its errors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import selectors as case_selectors
from qingshen.cases.models import Delegation
from qingshen.reviews import acceptance_limit, scoping, selectors
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import PanelSeat, Review, ReviewKind, RubricItem
from qingshen.reviews.services import conclusion, seats
from qingshen.web.reviews.calls import on_form, refused_elsewhere
from qingshen.web.reviews.forms import ConfirmForm, RespondForm, ScoreForm
from qingshen.web.reviews.meeting_expert_views import revision_context


@login_required
def expert_portal(request):
    if not scoping.sits_on_panels(request.user):
        raise Http404
    return render(
        request,
        "reviews/expert_portal.html",
        {
            "seats": selectors.seats_for_expert(user=request.user),
            "meetings": scoping.meetings_visible(request.user).order_by("-held_on", "-pk"),
        },
    )


def _seat_or_404(user, pk):
    seat = (
        scoping.seats_visible(user)
        .select_related("panel__review__case__enterprise", "panel__review__rubric", "expert")
        .filter(pk=pk)
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def _rubric_items(review) -> list:
    return list(review.rubric.items.all()) if review.rubric_id else []


def _bounds_today():
    """The acceptance time limits a pass confirmed today may set; None while the rules are broken (the
    confirmation then says why)."""
    try:
        return acceptance_limit.bounds(timezone.localdate())
    except ReviewRefused:
        return None


def _seat_page(request, seat, *, bound=None, slot: str = ""):
    """The seat's page; `bound`, a failed form, takes the place of the blank form `slot`, or, when the
    page no longer shows that form, its errors are flashed there."""
    review = seat.panel.review
    own = getattr(seat, "score", None) if hasattr(seat, "score") else None
    ctx = {"seat": seat, "review": review, "case": review.case, "own": own}
    if seat.status == PanelSeat.Status.INVITED:
        ctx["respond_form"] = RespondForm()
    if seat.status == PanelSeat.Status.ACCEPTED:
        ctx["materials"] = review.materials.select_related("item", "document")
        if review.kind == ReviewKind.ACCEPTANCE:
            ctx["target_rows"] = case_selectors.target_rows(case=review.case)
        items = _rubric_items(review)
        if items and own is None:
            ctx["score_form"] = ScoreForm(items=items)
        if own is not None:
            # Other sheets only after one's own is in.
            ctx["others"] = [s for s in selectors.submitted_scores(review) if s.pk != seat.pk]
            ctx["own_lines"] = {line.item_id: line for line in own.lines.all()}
        if seat.is_chair and review.proposed_outcome and not review.outcome:
            ctx["confirm_form"] = ConfirmForm()
            ctx["has_agency"] = Delegation.objects.filter(case=review.case, revoked_at__isnull=True).exists()
            if review.kind == ReviewKind.EVALUATION and review.proposed_outcome == Review.Outcome.PASS:
                ctx["limit_bounds"] = _bounds_today()
    ctx.update(revision_context(seat, review))
    if ctx["open_revision"] is not None:  # the conclusion waits for the sign-off
        ctx.pop("confirm_form", None)
    ctx["meeting_case"] = getattr(review, "meeting_case", None)
    ctx["veto_kind"], ctx["bonus_kind"] = RubricItem.Kind.VETO, RubricItem.Kind.BONUS
    if bound is not None:
        if slot not in ctx:
            return refused_elsewhere(request, bound, "seat-detail", pk=seat.pk)
        ctx[slot] = bound
    return render(request, "reviews/seat_detail.html", ctx)


@login_required
def seat_detail(request, pk: int):
    return _seat_page(request, _seat_or_404(request.user, pk))


@login_required
@require_POST
def seat_respond(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if on_form(
            request,
            form,
            seats.seat_respond,
            seat_id=pk,
            actor=request.user,
            accept=d["answer"] == "accept",
            no_conflict=d["no_conflict"],
            conflict=d["conflict"],
            reason=d["reason"],
        ):
            messages.success(request, _("Your answer was recorded."))
            return redirect("seat-detail", pk=pk)
    return _seat_page(request, seat, bound=form, slot="respond_form")


@login_required
@require_POST
def score_submit(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    form = ScoreForm(request.POST, items=_rubric_items(seat.panel.review))
    if form.is_valid() and on_form(
        request,
        form,
        conclusion.score_submit,
        seat_id=pk,
        actor=request.user,
        points=form.points(),
        vetoes=form.vetoes(),
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("Your sheet was submitted."))
        return redirect("seat-detail", pk=pk)
    return _seat_page(request, seat, bound=form, slot="score_form")


@login_required
@require_POST
def review_confirm(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if on_form(
            request,
            form,
            conclusion.review_confirm,
            review_id=seat.panel.review_id,
            actor=request.user,
            level=d["level"],
            requirements=d["requirements"],
            agency_rating=d["agency_rating"],
            agency_comment=d["agency_comment"],
            acceptance_due_on=d["acceptance_due_on"],
        ):
            messages.success(request, _("The conclusion is confirmed; the opinion was issued."))
            return redirect("seat-detail", pk=pk)
    return _seat_page(request, seat, bound=form, slot="confirm_form")
