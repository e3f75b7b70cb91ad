"""The organiser's review meetings (集中评估/验收): list and create, the meeting's page (dates per
application, the draw, the 公示 and the objections to answer). Refusals are flashed on the meeting page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.reviews import scoping, selectors
from qingshen.reviews.models import Objection, ReviewMeeting
from qingshen.reviews.services import meeting_changes, meetings, publicity
from qingshen.web.reviews.calls import flashed, on_form
from qingshen.web.reviews.meeting_forms import AddForm, AnswerForm, DatesForm, MeetingForm


def meeting_or_404(user, pk) -> ReviewMeeting:
    publicity.meeting_finalise(meeting_id=pk)  # final on view once its notice ended (the sweep does too)
    meeting = scoping.meetings_visible(user).select_related("organiser").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


@login_required
def meeting_list(request):
    user = request.user
    if scoping.sits_on_panels(user):
        return redirect("expert-portal")
    organiser = scoping.may_create_meeting(user)
    if not scoping.may_see_meetings(user):
        raise Http404
    candidates = selectors.meeting_candidates(user=user) if organiser else []
    form = MeetingForm(candidates=candidates)
    if request.method == "POST":
        if not organiser:
            raise Http404
        form = MeetingForm(request.POST, candidates=candidates)
        if form.is_valid():
            d = form.cleaned_data
            meeting = on_form(
                request,
                form,
                meetings.meeting_create,
                actor=user,
                kind=d["kind"],
                held_on=d["held_on"],
                place=d["place"],
                panel_mode=d["panel_mode"],
                review_ids=d["reviews"],
            )
            if meeting is not None:
                messages.success(request, _("The meeting was organised."))
                return redirect("meeting-detail", pk=meeting.pk)
    return render(
        request,
        "reviews/meeting_list.html",
        {
            "meetings": scoping.meetings_visible(user).order_by("-held_on", "-pk"),
            "form": form if organiser and candidates else None,
        },
    )


@login_required
def meeting_detail(request, pk: int):
    meeting = meeting_or_404(request.user, pk)
    organiser = scoping.may_organise_meeting(request.user, meeting)
    rows = selectors.meeting_rows(meeting, user=None if organiser else request.user)
    open_ = meeting.status == ReviewMeeting.Status.OPEN
    undrawn = [r for r in rows if not hasattr(r.review, "panel")]
    objections = list(meeting.objections.select_related("review__case__enterprise")) if organiser else []
    changeable = organiser and open_ and timezone.localdate() <= meeting.held_on
    shared_drawn = meeting.panel_mode == ReviewMeeting.PanelMode.SHARED and len(undrawn) < len(rows)
    return render(
        request,
        "reviews/meeting_detail.html",
        {
            "meeting": meeting,
            "organiser": organiser,
            "rows": [
                (
                    r,
                    DatesForm(
                        initial={"site_visit_on": r.site_visit_on, "meeting_on": r.meeting_on},
                        prefix=f"d{r.review_id}",
                    ),
                )
                for r in rows
            ],
            "may_draw": organiser and open_ and bool(undrawn),
            "may_publish": organiser and open_ and bool(rows) and all(r.review.outcome for r in rows),
            "may_remove": changeable and not shared_drawn and len(rows) > 1,
            "add_form": _add_form(request.user, meeting) if changeable and not shared_drawn else None,
            "redraw_experts": meeting_changes.declined_experts(meeting) if organiser and open_ else [],
            "open": open_,
            "objections": [
                (o, AnswerForm(prefix=f"o{o.pk}") if o.answered_at is None else None) for o in objections
            ],
        },
    )


@login_required
@require_POST
def meeting_dates(request, pk: int, review_pk: int):
    meeting_or_404(request.user, pk)
    form = DatesForm(request.POST, prefix=f"d{review_pk}")
    if not form.is_valid():
        return _errors_flashed(request, form, pk)
    if flashed(
        request,
        meetings.meeting_case_dates,
        meeting_id=pk,
        review_id=review_pk,
        actor=request.user,
        site_visit_on=form.cleaned_data["site_visit_on"],
        meeting_on=form.cleaned_data["meeting_on"],
    ):
        messages.success(request, _("The dates were saved."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_draw(request, pk: int):
    meeting_or_404(request.user, pk)
    if flashed(request, meetings.meeting_draw, meeting_id=pk, actor=request.user):
        messages.success(request, _("The panel was drawn."))
    return redirect("meeting-detail", pk=pk)


def _add_form(user, meeting, data=None):
    candidates = selectors.meeting_candidates(user=user, kind=meeting.kind)
    return AddForm(data, candidates=candidates) if candidates else None


@login_required
@require_POST
def meeting_add(request, pk: int):
    meeting = meeting_or_404(request.user, pk)
    if not scoping.may_organise_meeting(request.user, meeting):
        raise Http404
    form = _add_form(request.user, meeting, request.POST) or AddForm(request.POST)
    if not form.is_valid():
        return _errors_flashed(request, form, pk)
    if flashed(
        request,
        meeting_changes.meeting_cases_add,
        meeting_id=pk,
        actor=request.user,
        review_ids=form.cleaned_data["reviews"],
    ):
        messages.success(request, _("The applications were added to the meeting."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_remove(request, pk: int, review_pk: int):
    meeting_or_404(request.user, pk)
    if flashed(
        request, meeting_changes.meeting_case_remove, meeting_id=pk, review_id=review_pk, actor=request.user
    ):
        messages.success(request, _("The application was taken out of the meeting."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_redraw(request, pk: int, expert_pk: int):
    meeting_or_404(request.user, pk)
    if flashed(
        request, meeting_changes.meeting_seat_redraw, meeting_id=pk, expert_id=expert_pk, actor=request.user
    ):
        messages.success(request, _("The declined expert was replaced on every application of the meeting."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def meeting_publish(request, pk: int):
    meeting_or_404(request.user, pk)
    if flashed(request, publicity.meeting_publish, meeting_id=pk, actor=request.user):
        messages.success(request, _("The results are on public notice (公示)."))
    return redirect("meeting-detail", pk=pk)


@login_required
@require_POST
def objection_answer(request, pk: int, objection_pk: int):
    meeting_or_404(request.user, pk)
    if not Objection.objects.filter(pk=objection_pk, meeting_id=pk).exists():
        raise Http404
    form = AnswerForm(request.POST, prefix=f"o{objection_pk}")
    if not form.is_valid():
        return _errors_flashed(request, form, pk)
    if flashed(
        request,
        publicity.objection_answer,
        objection_id=objection_pk,
        actor=request.user,
        answer=form.cleaned_data["answer"],
    ):
        messages.success(request, _("The answer was recorded."))
    return redirect("meeting-detail", pk=pk)


def _errors_flashed(request, form, pk):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("meeting-detail", pk=pk)
