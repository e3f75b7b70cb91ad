"""A district's summary tables of years before the system: typed in, or imported from a workbook in
the export's layout and checked on screen before they are kept."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.core.errors import Refused
from qingshen.core.pages import refusal_on_form
from qingshen.programmes import selectors as programme_selectors
from qingshen.programmes.services import year_bounds
from qingshen.reports import entered, exports, scoping, services
from qingshen.reports import figures as summary
from qingshen.reports.models import SummaryFiling
from qingshen.web.reports.forms import EnteredSummaryForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _district(request):
    user = request.user
    district = user.jurisdiction if user.is_authenticated and user.jurisdiction_id else None
    if district is None or not scoping.may_enter_summary(user, district):
        raise Http404
    return district


def _years(district) -> list[int]:
    """Years before this one that the city did not run in the system, newest first."""
    low, _high = year_bounds()
    live = programme_selectors.live_programme_years(city=district.parent)
    return [y for y in range(timezone.localdate().year - 1, low - 1, -1) if y not in live]


def _entered(district):
    return (
        SummaryFiling.objects.filter(district=district, source=SummaryFiling.Source.ENTERED)
        .select_related("programme", "filed_by")
        .order_by("-programme__year", "-filed_at")
    )


@login_required
def entered_page(request):
    district = _district(request)
    columns = entered.entered_columns()
    years = _years(district)
    posted = request.method == "POST"
    form = EnteredSummaryForm(
        request.POST if posted else None, request.FILES if posted else None, years=years, columns=columns
    )
    problems = []
    if not posted:
        year = request.GET.get("year", "")
        last = next((f for f in _entered(district) if str(f.programme.year) == year), None)
        if last is not None:
            form.initial = {
                "year": last.programme.year,
                "narrative": last.narrative,
                "work_plan": last.work_plan,
                **{f"c_{k}": v for k, v in last.figures.items()},
            }
    elif form.is_valid():
        upload = form.cleaned_data["workbook"]
        if "read" in request.POST and not upload:
            form.add_error("workbook", _("Choose the workbook to read."))
        elif "read" in request.POST:
            data = upload.read()
            try:
                raw = entered.figures_from_sheet(data, upload.name or "", district, columns)
            except entered.EnteredRefused as exc:
                problems = exc.problems
                refusal_on_form(form, exc, here=request.path)
            else:
                # Shown filled in: the district checks the figures and keeps them with the button.
                values = {**form.data.dict(), **{f"c_{k}": v for k, v in raw.items()}}
                values["source_sha256"] = hashlib.sha256(data).hexdigest()
                values["source_name"] = (upload.name or "")[:255]
                form = EnteredSummaryForm(values, years=years, columns=columns)
                form.is_valid()
                messages.info(request, _("The file was read. Check the figures below, then keep the table."))
                return _render(request, district, form, [], status=200)
        else:
            try:
                filing = services.summary_enter(
                    year=form.cleaned_data["year"],
                    district=district,
                    actor=request.user,
                    figures=form.raw_figures(),
                    narrative=form.cleaned_data["narrative"],
                    work_plan=form.cleaned_data["work_plan"],
                    source_file_name=request.POST.get("source_name", "")[:255],
                    source_file_sha256=_sha(request.POST.get("source_sha256", "")),
                )
            except entered.EnteredRefused as exc:
                problems = exc.problems
                refusal_on_form(form, exc, here=request.path)
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
            else:
                messages.success(
                    request,
                    _("The summary table of %(year)s was kept as entered.") % {"year": filing.programme.year},
                )
                return redirect("summary-entered")
    return _render(request, district, form, problems, status=400 if form.is_bound else 200)


def _sha(value: str) -> str:
    value = (value or "").strip().lower()
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else ""


def _render(request, district, form, problems, *, status):
    return render(
        request,
        "reports/entered.html",
        {
            "district": district,
            "form": form,
            "problems": problems,
            "filings": _entered(district),
            "source_name": form.data.get("source_name", "") if form.is_bound else "",
            "source_sha256": form.data.get("source_sha256", "") if form.is_bound else "",
        },
        status=status,
    )


@login_required
def entered_template(request):
    """The export's layout with the district's row blank: fill it in and import it."""
    district = _district(request)
    columns = entered.entered_columns()
    blank = {c.key: 0 for c in columns}
    table = summary.SummaryTable(columns=columns, rows=[(district, blank)], total=blank)
    data = exports.summary_xlsx(
        title=_("Work summary table (Annex 3) of an earlier year"),
        issuer=district.local_name,
        day=timezone.localdate(),
        table=table,
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''annex3-earlier-year.xlsx"
    return response
