"""The queue of applications and an application's page: the completeness check and, before the draw,
the conflict check with its dismissals and pins. A form that fails comes back on this page with its
errors; the panel's buttons (qingshen.web.reviews.panel_views) come back here too."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import scoping as cases_scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.models import Document
from qingshen.reviews import acceptance_limit, quality, scoping, selectors
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import PanelSeat, Review, ReviewKind
from qingshen.reviews.services import applications, conflicts, cosign
from qingshen.web.reviews.calls import on_form, refused_elsewhere
from qingshen.web.reviews.forms import (
    AcceptanceLimitForm,
    ActionForm,
    CheckForm,
    CosignForm,
    DismissForm,
    PinForm,
)


def review_or_404(user, pk):
    review = (
        scoping.reviews_visible(user)
        .select_related(
            "case__enterprise__industry", "case__jurisdiction", "rubric", "applied_by", "checked_by"
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404
    return review


@login_required
def review_list(request):
    if scoping.sits_on_panels(request.user):
        return redirect("expert-portal")
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    status = request.GET.get("status", "")
    if status not in Review.Status.values:
        status = ""
    page = Paginator(
        selectors.review_list(user=request.user, status=status), settings.QINGSHEN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Review.Status.choices,
            "querystring": urlencode({"status": status}) if status else "",
        },
    )


def _conflicts(review, dismiss_form):
    """The conflict check for the page: each exclusion with the errors of its dismissal, if one failed."""
    check = selectors.conflict_check(review=review)
    quality.rating_floor_apply(check)  # as the draw will: the organiser sees who sits out and why
    names = {e.pk: e for e in check.matching}
    failed = None
    if dismiss_form is not None:
        failed = (str(dismiss_form.data.get("expert", "")), str(dismiss_form.data.get("rule", "")))
    labels = {
        r: selectors.Exclusion.label(r)
        for r in selectors.Exclusion.DISMISSABLE | {"declared", "pinned", "rating_floor"}
    }
    excluded = [
        (
            names[pk],
            [
                (rule, detail, labels.get(rule, rule), dismiss_form if failed == (str(pk), rule) else None)
                for rule, detail in reasons
            ],
        )
        for pk, reasons in sorted(check.exclusions.items())
    ]
    return {
        "check": check,
        "excluded": excluded,
        "placed": any(form is not None for _e, rows in excluded for *_r, form in rows),
        "dismissed": [(names[pk], items) for pk, items in sorted(check.dismissed.items())],
        "dismissable": selectors.Exclusion.DISMISSABLE,
    }


def _placed(ctx: dict, slot: str, seat_pk) -> bool:
    """Whether the page shows the form `slot` a failed form stands for."""
    if slot == "dismiss_form":
        return "conflicts" in ctx and ctx["conflicts"]["placed"]
    if slot == "redraw_form":  # the seat still shows its button: declined, not yet redrawn
        return slot in ctx and any(
            s.pk == seat_pk and s.status == PanelSeat.Status.DECLINED and not hasattr(s, "replaced_by")
            for s in ctx["seats"]
        )
    return slot in ctx


def _limit_bounds(passed_on):
    try:
        return acceptance_limit.bounds(passed_on)
    except ReviewRefused:  # a broken rule: the form's submission says which
        return None


def review_page(request, review, *, bound=None, slot: str = "", seat_pk: int | None = None):
    """The application's page. `bound`, a form that failed, takes the place of the blank form `slot`
    (with its errors; `seat_pk` is the seat of a failed redraw). Where the page does not show that form
    (the step moved on meanwhile, or the user has no such form), its errors are flashed on the page."""
    organiser = scoping.may_organise_review(request.user, review)
    panel = getattr(review, "panel", None)
    items = selectors.checklist_for(review.kind)
    materials = {m.item_id: m for m in review.materials.select_related("document")}
    ctx = {
        "review": review,
        "case": review.case,
        "organiser": organiser,
        "checklist": [(i, materials.get(i.pk)) for i in items],
        "missing": selectors.missing_items(review),
        "panel": panel,
        "seats": list(selectors.panel_seats(panel)) if panel else [],
        "may_verify": scoping.may_verify_panel(request.user, review),
        "target_rows": case_selectors.target_rows(case=review.case)
        if review.kind == ReviewKind.ACCEPTANCE
        else [],
        "opinions": review.case.documents.filter(kind__in=Document.OPINION_KINDS).order_by("-uploaded_at")
        if review.status == Review.Status.CONCLUDED
        else [],
    }
    if organiser and review.status == Review.Status.APPLIED:
        ctx["check_form"] = CheckForm(items=items)
    if organiser and review.status == Review.Status.ACCEPTED and panel is None:
        ctx["conflicts"] = _conflicts(review, bound if slot == "dismiss_form" else None)
        if scoping.may_manage_experts(request.user):  # a pinned conflict is the city's pool's record
            ctx["pin_form"] = PinForm(experts=ctx["conflicts"]["check"].eligible, auto_id="pin_%s")
        ctx["draw_form"] = ActionForm()
    if organiser and panel is not None:
        ctx["redraw_form"] = None
    ctx["consulted"] = cases_scoping.case_consulted_authority(review.case)
    ctx["cosign_pending"] = cosign.cosign_pending(review)
    accepted = review.status == Review.Status.ACCEPTED
    if ctx["cosign_pending"] and accepted and scoping.may_cosign_review(request.user, review):
        ctx["cosign_form"] = CosignForm()
    if organiser and acceptance_limit.settable(review):
        ctx["limit_form"] = AcceptanceLimitForm(initial={"due_on": review.case.acceptance_due_on})
        ctx["limit_bounds"] = _limit_bounds(review.case.evaluation_passed_on)
    if bound is not None and _placed(ctx, slot, seat_pk):
        if slot == "pin_form":
            bound.fields["expert"].widget.choices = ctx["pin_form"].fields["expert"].widget.choices
        if slot != "dismiss_form":
            ctx[slot] = bound
        ctx["redraw_seat"] = seat_pk
    elif bound is not None:
        return refused_elsewhere(request, bound, "review-detail", pk=review.pk)
    return render(request, "reviews/review_detail.html", ctx)


@login_required
def review_detail(request, pk: int):
    return review_page(request, review_or_404(request.user, pk))


@login_required
@require_POST
def review_check(request, pk: int):
    review = review_or_404(request.user, pk)
    form = CheckForm(request.POST, items=selectors.checklist_for(review.kind))
    if form.is_valid():
        data = form.cleaned_data
        done = on_form(
            request,
            form,
            applications.review_check,
            review_id=pk,
            actor=request.user,
            accept=data["decision"] == "accept",
            missing=data["missing"],
            reason=data["reason"],
            override_reason=data["override_reason"],
        )
        if done:
            messages.success(request, _("Checked: %(status)s.") % {"status": done.get_status_display()})
            return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="check_form")


@login_required
@require_POST
def review_acceptance_limit(request, pk: int):
    """The organiser moves the enterprise's acceptance time limit (within the rules' bounds)."""
    review = review_or_404(request.user, pk)
    form = AcceptanceLimitForm(request.POST)
    if form.is_valid() and on_form(
        request,
        form,
        acceptance_limit.acceptance_limit_set,
        review_id=pk,
        actor=request.user,
        due_on=form.cleaned_data["due_on"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The acceptance time limit was changed."))
        return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="limit_form")


@login_required
@require_POST
def conflict_dismiss(request, pk: int):
    review = review_or_404(request.user, pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if on_form(
            request,
            form,
            conflicts.conflict_dismiss,
            review_id=pk,
            actor=request.user,
            expert_id=d["expert"],
            rule=d["rule"],
            reason=d["reason"],
        ):
            messages.success(request, _("The exclusion was dismissed."))
            return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="dismiss_form")


@login_required
@require_POST
def conflict_pin(request, pk: int):
    review = review_or_404(request.user, pk)
    form = PinForm(request.POST, auto_id="pin_%s")
    if form.is_valid() and on_form(
        request,
        form,
        conflicts.conflict_pin,
        actor=request.user,
        expert_id=form.cleaned_data["expert"],
        enterprise=review.case.enterprise,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The conflict is pinned."))
        return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="pin_form")


@login_required
@require_POST
def review_cosign(request, pk: int):
    """The consulted energy-saving authority co-signs the review (the city's setting for mixed grounds)."""
    review = review_or_404(request.user, pk)
    form = CosignForm(request.POST)
    if form.is_valid() and on_form(
        request,
        form,
        cosign.review_cosign,
        review_id=pk,
        actor=request.user,
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("The review was co-signed."))
        return redirect("review-detail", pk=pk)
    return review_page(request, review, bound=form, slot="cosign_form")
