"""The expert's side of a review meeting (phone-sized): the meeting with its own seats, accepting them
all at once, and on a seat the chair's request for revision (修改完善) and its sign-off."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.reviews import scoping, selectors
from qingshen.reviews.models import PanelSeat, Review
from qingshen.reviews.services import meetings, revisions
from qingshen.web.reviews.calls import flashed, refused_elsewhere
from qingshen.web.reviews.meeting_forms import AcceptAllForm, RevisionForm, SignOffForm


def _meeting_or_404(user, pk):
    if not scoping.sits_on_panels(user):
        raise Http404
    meeting = scoping.meetings_visible(user).select_related("organiser").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


@login_required
def expert_meeting(request, pk: int):
    meeting = _meeting_or_404(request.user, pk)
    seats = list(selectors.seats_in_meeting(user=request.user, meeting=meeting))
    invited = [s for s in seats if s.status == PanelSeat.Status.INVITED]
    return render(
        request,
        "reviews/expert_meeting.html",
        {"meeting": meeting, "seats": seats, "accept_form": AcceptAllForm() if invited else None},
    )


@login_required
@require_POST
def expert_meeting_accept(request, pk: int):
    _meeting_or_404(request.user, pk)
    form = AcceptAllForm(request.POST)
    if not form.is_valid():
        return refused_elsewhere(request, form, "expert-meeting", pk=pk)
    if flashed(request, meetings.meeting_seats_accept, meeting_id=pk, actor=request.user, no_conflict=True):
        messages.success(request, _("You accepted your seats of this meeting."))
    return redirect("expert-meeting", pk=pk)


def revision_context(seat, review) -> dict:
    """What the seat page shows of the revision requests, and the chair's forms."""
    ctx = {"revisions": list(review.revisions.select_related("document").order_by("pk"))}
    chair = seat.is_chair and seat.status == PanelSeat.Status.ACCEPTED
    open_one = next((r for r in ctx["revisions"] if r.is_open), None)
    if chair and review.status == Review.Status.ACCEPTED and not review.outcome:
        if open_one is None:
            ctx["revision_form"] = RevisionForm()
        elif open_one.document_id:
            ctx["signoff_form"] = SignOffForm()
    ctx["open_revision"] = open_one
    return ctx


def _own_seat(user, pk):
    seat = scoping.seats_visible(user).select_related("panel__review").filter(pk=pk).first()
    if seat is None:
        raise Http404
    return seat


@login_required
@require_POST
def revision_request(request, pk: int):
    seat = _own_seat(request.user, pk)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        return refused_elsewhere(request, form, "seat-detail", pk=pk)
    if flashed(
        request,
        revisions.revision_request,
        review_id=seat.panel.review_id,
        actor=request.user,
        items=form.cleaned_data["items"],
        due_on=form.cleaned_data["due_on"],
    ):
        messages.success(request, _("The enterprise was asked to revise its report."))
    return redirect("seat-detail", pk=pk)


@login_required
@require_POST
def revision_sign_off(request, pk: int):
    seat = _own_seat(request.user, pk)
    form = SignOffForm(request.POST)
    open_one = seat.panel.review.revisions.filter(signed_off_at__isnull=True).first()
    if open_one is None:
        messages.error(request, _("No request for revision is open."))
        return redirect("seat-detail", pk=pk)
    if form.is_valid() and flashed(
        request,
        revisions.revision_sign_off,
        revision_id=open_one.pk,
        actor=request.user,
        note=form.cleaned_data["note"],
    ):
        messages.success(request, _("The revision is signed off."))
    return redirect("seat-detail", pk=pk)
