from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import selectors as case_selectors
from qingshen.core.numbers import YUAN, Figure
from qingshen.oversight import penalties, scoping, selectors
from qingshen.oversight.penalty_models import ViolationType
from qingshen.programmes.exports import workbook_bytes
from qingshen.registry import scoping as registry_scoping
from qingshen.web.oversight.forms import (
    PenaltyConfirmForm,
    PenaltyImposeForm,
    PenaltyOrderForm,
    PenaltyReturnForm,
)


@login_required
def penalty_list(request):
    if not scoping.may_see_accountability(request.user):
        raise Http404
    credit_only = request.GET.get("credit") == "on"
    page = Paginator(
        selectors.penalty_list(user=request.user, credit_only=credit_only), settings.QINGSHEN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    steppable = {p.pk for p in page.object_list if scoping.may_step_penalty(request.user, p)}
    resubmittable = {
        p.pk
        for p in page.object_list
        if p.state == p.State.RETURNED and scoping.may_resubmit_penalty(request.user, p)
    }
    return render(
        request,
        "oversight/penalty_list.html",
        {
            "page": page,
            "credit_only": credit_only,
            "querystring": "credit=on" if credit_only else "",
            "may_penalise": scoping.may_penalise(request.user),
            "steppable": steppable,
            "resubmittable": resubmittable,
            "may_decide": scoping.may_decide_penalty_proposals(request.user),
            "today": timezone.localdate(),
        },
    )


def _order_page(request, *, party: str, context: dict, **target):
    """The order-to-correct form for one party (`target`: enterprise and case, or agency); a district
    whose city confirms its orders proposes one (context["mode"])."""
    form = PenaltyOrderForm(request.POST or None, violations=ViolationType.objects.filter(party=party))
    if request.method == "POST" and form.is_valid():
        try:
            penalties.penalty_order(
                violation=form.cleaned_data["violation"],
                facts=form.cleaned_data["facts"],
                correct_by=form.cleaned_data["correct_by"],
                actor=request.user,
                **target,
            )
        except penalties.PenaltyRefused as exc:
            form.add_error(None, str(exc))
        else:
            if context.get("mode") == "propose":
                messages.success(request, _("Proposed to the city bureau."))
            else:
                messages.success(request, _("Order to correct issued."))
            return redirect("penalty-list")
    return render(request, "oversight/penalty_order.html", {"form": form, **context})


@login_required
def penalty_order(request, case_pk: int):
    """The city (or the enterprise's district, as the city's setting says: directly or as a proposal)
    orders the enterprise of a case to correct, with a deadline."""
    case = case_selectors.case_get(user=request.user, pk=case_pk)
    mode = case and scoping.penalty_mode(request.user, enterprise=case.enterprise)
    if not mode:
        raise Http404
    return _order_page(
        request,
        party=ViolationType.Party.ENTERPRISE,
        context={"case": case, "mode": mode},
        enterprise=case.enterprise,
        case=case,
    )


@login_required
def penalty_order_agency(request, agency_pk: int):
    """The city orders a consulting agency to correct (办法 Art. 35: its name is published if it does not)."""
    agency = registry_scoping.agencies_visible(request.user).filter(pk=agency_pk).first()
    if agency is None or not scoping.may_penalise(request.user):
        raise Http404
    return _order_page(request, party=ViolationType.Party.AGENCY, context={"agency": agency}, agency=agency)


@login_required
def penalty_resubmit(request, pk: int):
    """The district corrects a proposal the city returned (the city's reason above the form) and sends
    it again to the city."""
    penalty = selectors.penalty_list(user=request.user).filter(pk=pk).first()
    if penalty is None or penalty.state != penalty.State.RETURNED:
        raise Http404
    if not scoping.may_resubmit_penalty(request.user, penalty):
        raise Http404
    initial = {"violation": penalty.violation_id, "facts": penalty.facts, "correct_by": penalty.correct_by}
    form = PenaltyOrderForm(
        request.POST or None,
        initial=initial,
        violations=ViolationType.objects.filter(party=ViolationType.Party.ENTERPRISE),
    )
    if request.method == "POST" and form.is_valid():
        try:
            penalties.penalty_resubmit(penalty_id=penalty.pk, actor=request.user, **form.cleaned_data)
        except penalties.PenaltyRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Sent to the city bureau again."))
            return redirect("penalty-list")
    return render(request, "oversight/penalty_resubmit.html", {"form": form, "penalty": penalty})


@login_required
@require_POST
def penalty_step(request, pk: int, step: str):
    penalty = selectors.penalty_list(user=request.user).filter(pk=pk).first()
    if penalty is None or step not in ("correct", "impose", "confirm", "return"):
        raise Http404
    if step in ("confirm", "return"):
        return _decide(request, penalty, step)
    if not scoping.may_step_penalty(request.user, penalty):
        raise Http404
    try:
        if step == "correct":
            penalties.penalty_correct(penalty_id=penalty.pk, actor=request.user)
        else:
            form = PenaltyImposeForm(request.POST)
            if not form.is_valid():
                raise penalties.PenaltyRefused(_("Enter the fine as a whole number of yuan."))
            penalties.penalty_impose(
                penalty_id=penalty.pk, actor=request.user, fine=form.cleaned_data["fine"]
            )
        messages.success(request, _("Saved."))
    except penalties.PenaltyRefused as exc:
        messages.error(request, str(exc))
    return redirect("penalty-list")


def _decide(request, penalty, step: str):
    """The city confirms a district's proposal (perhaps with a new deadline) or returns it with a reason."""
    if not scoping.may_decide_penalty(request.user, penalty):
        raise Http404
    form = (PenaltyConfirmForm if step == "confirm" else PenaltyReturnForm)(request.POST)
    try:
        if not form.is_valid():
            raise penalties.PenaltyRefused(" ".join(str(e) for errs in form.errors.values() for e in errs))
        if step == "confirm":
            penalties.penalty_confirm(
                penalty_id=penalty.pk, actor=request.user, correct_by=form.cleaned_data["correct_by"]
            )
            messages.success(request, _("Confirmed: the order to correct is issued."))
        else:
            penalties.penalty_return(
                penalty_id=penalty.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Returned to the district."))
    except penalties.PenaltyRefused as exc:
        messages.error(request, str(exc))
    return redirect("penalty-proposals")


@login_required
def penalty_proposals(request):
    """The districts' proposed orders awaiting the city."""
    if not scoping.may_decide_penalty_proposals(request.user):
        raise Http404
    rows = [
        (p, PenaltyConfirmForm(initial={"correct_by": p.correct_by}), PenaltyReturnForm())
        for p in selectors.penalty_proposals(user=request.user)
    ]
    return render(request, "oversight/penalty_proposals.html", {"rows": rows})


@login_required
def credit_export(request):
    """Penalised enterprises and agencies, for the environmental credit evaluation and the mandatory
    disclosure list (xlsx; formula-leading cells escaped)."""
    if not scoping.may_see_accountability(request.user):
        raise Http404
    rows = (
        (
            p.enterprise.name if p.enterprise_id else p.agency.name,
            p.enterprise.uscc if p.enterprise_id else p.agency.uscc,
            p.violation.name,
            Figure(p.fine, YUAN) if p.fine is not None else "",
            p.penalised_on,
            p.violation.citation,
        )
        for p in selectors.penalty_list(user=request.user, credit_only=True).iterator(chunk_size=500)
    )
    data = workbook_bytes(
        title=_("Penalised enterprises and agencies (credit evaluation and disclosure)"),
        issuer=request.user.jurisdiction.local_name,
        day=timezone.localdate(),
        columns=[
            (_("Name"), 30),
            (_("Unified social credit code"), 22),
            (_("Violation"), 30),
            (_("Fine (yuan)"), 12),
            (_("Penalised on"), 12),
            (_("Legal basis"), 60),
        ],
        rows=rows,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="credit-list.xlsx"'
    return response
