"""The audit focus and targets page (entered with the report, actual values before acceptance), and the
performance table (绩效表) as a page and as .xlsx. Anyone who sees the case sees them; the enterprise
(or its delegated agency) edits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.cases import performance, target_rules
from qingshen.cases import selectors as case_selectors
from qingshen.cases import targets as target_services
from qingshen.cases.options import OptionRefused, base_year_of
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.portal.target_forms import ActualForm, AuditFocusForm, TargetForm, WithdrawForm
from qingshen.portal.views import _case_or_404


def _problems_on_form(form, exc: Refused, here: str) -> None:
    """Each reason beside its field when the form has it, else above the fields."""
    if isinstance(exc, OptionRefused):
        for field_name, message in exc.problems:
            form.add_error(field_name if field_name in form.fields else None, message)
    else:
        refusal_on_form(form, exc, here=here)


def _target_data(form) -> target_rules.TargetData:
    d = form.cleaned_data
    return target_rules.TargetData(
        name=d["name"],
        unit=d["unit"],
        direction=d["direction"],
        baseline=d["baseline"],
        target_value=d["target_value"],
        target_year=d["target_year"],
        indicator_code=d["indicator"].code if d.get("indicator") else "",
    )


def _post(request, case):
    """Handle one posted form; a redirect when saved, else the bound form (with its errors) and its name."""
    which = request.POST.get("form", "")
    form_class = {
        "focus": AuditFocusForm,
        "target": TargetForm,
        "actual": ActualForm,
        "withdraw": WithdrawForm,
    }
    if which not in form_class:
        raise Http404
    form = form_class[which](request.POST)
    if not form.is_valid():
        return None, which, form
    d = form.cleaned_data
    try:
        if which == "focus":
            target_services.audit_focus_save(case=case, actor=request.user, text=d["audit_focus"])
            messages.success(request, _("Audit focus saved."))
        elif which == "target":
            target_services.target_save(
                case=case, actor=request.user, data=_target_data(form), target_id=d.get("target")
            )
            messages.success(request, _("Target saved."))
        elif which == "withdraw":
            target_services.target_withdraw(case=case, actor=request.user, target_id=d["target"])
            messages.success(request, _("Target withdrawn."))
        else:
            target_services.target_actual_save(
                case=case, actor=request.user, target_id=d["target"], actual=d.get("actual")
            )
            messages.success(request, _("Actual value saved."))
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        _problems_on_form(form, exc, request.path)
        return None, which, form
    return redirect("case-targets", pk=case.pk), which, form


def _edit_initial(request, rows, last_year: int) -> dict:
    """The target form filled with the target of ?edit= (one of the case's), else blank."""
    wanted = request.GET.get("edit", "")
    for row in rows:
        t = row["target"]
        if str(t.pk) == wanted:
            return {
                "target": t.pk,
                "name": t.name,
                "unit": t.unit,
                "direction": t.direction,
                "baseline": t.baseline.normalize(),
                "target_value": t.target_value.normalize(),
                "target_year": t.target_year,
                "indicator": t.indicator_id,
            }
    return {"target_year": last_year}


@login_required
def targets(request, pk: int):
    case = _case_or_404(request, pk)
    may_plan = target_services.may_plan(request.user, case)
    may_actual = target_services.may_enter_actuals(request.user, case)
    bound, which = None, ""
    if request.method == "POST":
        if not (may_plan or may_actual):
            raise Http404
        response, which, bound = _post(request, case)
        if response is not None:
            return response
    first, last = target_services.target_year_range(case)
    rows = case_selectors.target_rows(case=case)
    target_form = bound if which == "target" else TargetForm(initial=_edit_initial(request, rows, last))
    return render(
        request,
        "portal/targets.html",
        {
            "case": case,
            "rows": rows,
            "stages": case_selectors.case_stages(case=case),
            "may_plan": may_plan,
            "may_actual": may_actual,
            "focus_form": bound
            if which == "focus"
            else AuditFocusForm(initial={"audit_focus": case.audit_focus}),
            "target_form": target_form,
            "editing": bool(target_form.initial.get("target")),
            "row_error": bound if which in {"actual", "withdraw"} else None,
            "first_year": first,
            "last_year": last,
            "base_year": base_year_of(case),
        },
    )


@login_required
def performance_page(request, pk: int):
    case = _case_or_404(request, pk)
    return render(request, "portal/performance.html", {**performance.performance_table(case=case)})


@login_required
def performance_download(request, pk: int):
    case = _case_or_404(request, pk)
    response = HttpResponse(
        performance.performance_xlsx(case=case),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="performance-{case.pk}.xlsx"'
    return response
