"""The enterprise's options and baseline pages, and the option table import (preview, then all or nothing)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import option_import as imports
from qingshen.cases import options as option_services
from qingshen.cases import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.models import Indicator
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.portal.forms import (
    BaselineForm,
    ImportForm,
    OptionForm,
)
from qingshen.portal.views import _case_or_404

IMPORT_SESSION_KEY = "qingshen.option_import.%s"


def _flash_form_errors(request, form):
    """For the upload form of the options page, which answers with a redirect back to that page."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _option_data(form) -> option_services.OptionData:
    d = form.cleaned_data
    return option_services.OptionData(
        code=d["code"],
        name=d["name"],
        cost_class=d["cost_class"],
        investment=d["investment"],
        status=d["status"],
        planned_on=d["planned_on"],
        started_on=d.get("started_on"),
        implemented_on=d.get("implemented_on"),
        dropped_reason=d.get("dropped_reason", ""),
        benefits=form.benefits(),
    )


@login_required
def options(request, pk: int):
    case = _case_or_404(request, pk)
    may_edit = scoping.may_edit_case_materials(request.user, case)
    indicators = list(Indicator.objects.all())
    earliest, today = option_services.earliest_option_day(case), timezone.localdate()
    option_form = OptionForm(indicators=indicators)
    option_form.date_bounds(earliest, today)
    base_year = option_services.base_year_of(case)
    baseline_form = BaselineForm(initial={"year": base_year or case.published_on.year - 1})
    if request.method == "POST":
        if not may_edit:
            raise Http404
        posted = baseline_form if request.POST.get("form") == "baseline" else option_form
        try:
            if request.POST.get("form") == "baseline":
                baseline_form = posted = BaselineForm(request.POST)
                if baseline_form.is_valid():
                    option_services.baseline_save(
                        case=case,
                        actor=request.user,
                        indicator=baseline_form.cleaned_data["indicator"],
                        value=baseline_form.cleaned_data["value"],
                        source=baseline_form.cleaned_data["source"],
                        year=baseline_form.cleaned_data["year"],
                    )
                    messages.success(request, _("Baseline saved."))
                    return redirect("case-options", pk=case.pk)
            else:
                option_form = posted = OptionForm(request.POST, indicators=indicators)
                option_form.date_bounds(earliest, today)
                if option_form.is_valid():
                    option_services.option_save(case=case, actor=request.user, data=_option_data(option_form))
                    messages.success(request, _("Option saved."))
                    return redirect("case-options", pk=case.pk)
        except NotFound as exc:
            raise Http404 from exc
        except Refused as exc:
            refusal_on_form(posted, exc, here=request.path)
    return render(
        request,
        "portal/options.html",
        {
            "case": case,
            "options": case_selectors.options_of(case=case),
            "totals": case_selectors.option_totals(case=case),
            "may_edit": may_edit,
            "option_form": option_form,
            "baseline_form": baseline_form,
            "base_year": base_year,
            "earliest_option_day": earliest,
            "import_form": ImportForm(),
        },
    )


@login_required
def option_template(request, pk: int):
    case = _case_or_404(request, pk)
    response = HttpResponse(
        imports.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="options-template-{case.pk}.xlsx"'
    return response


@login_required
@require_POST
def option_import(request, pk: int):
    """Step 1 (a file): preview with the row report. Step 2 (commit): write all rows or none."""
    case = _case_or_404(request, pk)
    if not scoping.may_edit_case_materials(request.user, case):
        raise Http404
    key = IMPORT_SESSION_KEY % case.pk
    if "commit" in request.POST:
        stored = request.session.pop(key, None)
        if not stored:
            messages.error(request, _("Nothing to import; upload the table again."))
            return redirect("case-options", pk=case.pk)
        try:
            saved = option_services.options_save(
                case=case, actor=request.user, rows=imports.rows_from_session(stored)
            )
        except Refused as exc:
            messages.error(request, exc.as_html(here=request.path))
        else:
            messages.success(request, _("%(n)s options imported.") % {"n": len(saved)})
        return redirect("case-options", pk=case.pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _flash_form_errors(request, form)
        return redirect("case-options", pk=case.pk)
    try:
        rows, problems = imports.option_table_parse(case=case, upload=form.cleaned_data["file"])
    except Refused as exc:
        messages.error(request, exc.as_html(here=request.path))
        return redirect("case-options", pk=case.pk)
    if problems:
        request.session.pop(key, None)
    else:
        request.session[key] = imports.rows_to_session(rows)
    return render(
        request,
        "portal/option_import.html",
        {"case": case, "rows": rows, "problems": problems, "status_labels": imports.STATUS_LABELS},
    )
