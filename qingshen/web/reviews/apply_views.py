"""The enterprise's (or its agency's) application with the checklist's materials."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.lifecycle import ReviewStep, review_action, transition_get
from qingshen.reviews import selectors
from qingshen.reviews.models import ReviewKind
from qingshen.reviews.services import applications
from qingshen.web.reviews.calls import on_form, posted
from qingshen.web.reviews.forms import ApplicationForm


@login_required
def review_apply(request, case_pk: int, kind: str):
    case = cases_scoping.cases_visible(request.user).select_related("enterprise").filter(pk=case_pk).first()
    if (
        case is None
        or kind not in ReviewKind.values
        or not cases_scoping.may_apply_for_review(request.user, case)
    ):
        raise Http404
    transition = transition_get(review_action(kind, ReviewStep.APPLY))
    items = selectors.checklist_for(kind)
    offers = {}
    for item in items:
        candidates = applications.item_candidates(case, item)
        offers[item.code] = (candidates, applications.item_preselected(case, item, items, candidates))
    form = ApplicationForm(*posted(request), items=items, offers=offers)
    if request.method == "POST" and form.is_valid():
        review = on_form(
            request,
            form,
            applications.review_apply,
            case_id=case.pk,
            actor=request.user,
            kind=kind,
            materials=form.materials(),
            existing=form.existing(),
        )
        if review:
            messages.success(request, _("Your application was submitted."))
            return redirect("review-detail", pk=review.pk)
    return render(
        request,
        "reviews/apply.html",
        {"case": case, "kind": ReviewKind(kind), "form": form, "possible": case.state in transition.sources},
    )
