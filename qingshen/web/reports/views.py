from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases import scoping as cases_scoping
from qingshen.core.files.reading import stream_open
from qingshen.core.numbers import MONEY, PERCENT, figure
from qingshen.programmes import selectors as programme_selectors
from qingshen.reports import exports, scoping, selectors, services
from qingshen.reports import figures as summary
from qingshen.reports.models import SummaryFiling
from qingshen.trail.services import event_record
from qingshen.web.reports.forms import SummaryFilingForm
from qingshen.web.reviews.calls import on_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _programme(request, pk):
    programme = programme_selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not scoping.may_see_summary(request.user, programme):
        raise Http404
    return programme


def _table(request, programme):
    return summary.summary_table(
        programme=programme,
        cases=cases_scoping.cases_visible(request.user),
        counts=scoping.counts_visible(request.user),
        districts=scoping.summary_districts_visible(request.user, programme),
    )


@login_required
def summary_page(request, pk: int):
    """附件3 on screen: a row per district, the total, who filed and what changed since."""
    programme = _programme(request, pk)
    table = _table(request, programme)
    filings = selectors.filings_latest(user=request.user, programme=programme)
    # Only a district user may file, and only its own row: ask once, not per row.
    own = scoping.summary_row_fileable(request.user, programme)
    rows = []
    for district, figures in table.rows:
        filing = filings.get(district.pk)
        rows.append(
            {
                "district": district,
                # Formatted once here: the template would localise each of ~80 × districts numbers.
                "cells": [figure(figures[c.key], c.unit) for c in table.columns],
                "filing": filing,
                "changes": summary.difference(filing.figures, figures, table.columns) if filing else [],
                "may_file": own is not None and district.pk == own.pk,
            }
        )
    voluntary = summary.voluntary_table(
        programme=programme,
        cases=cases_scoping.cases_visible(request.user),
        counts=scoping.counts_visible(request.user),
        districts=scoping.summary_districts_visible(request.user, programme),
    )
    groups = []
    for col in table.columns:
        if groups and str(groups[-1][0]) == str(col.group):
            groups[-1][1] += 1
        else:
            groups.append([col.group, 1])
    return render(
        request,
        "reports/summary.html",
        {
            "programme": programme,
            "table": table,
            "groups": groups,
            "rows": rows,
            "total": [figure(table.total[c.key], c.unit) for c in table.columns],
            "voluntary": voluntary,
            "voluntary_rows": [
                (d, [figure(f[c.key], c.unit) for c in voluntary.columns]) for d, f in voluntary.rows
            ],
            "voluntary_total": [figure(voluntary.total[c.key], c.unit) for c in voluntary.columns],
            "by_lead": [
                (
                    authority,
                    [figure(f[c.key], c.unit) if f[c.key] is not None else "—" for c in table.columns],
                )
                for authority, f in table.by_lead
            ],
        },
    )


@login_required
def summary_export(request, pk: int):
    programme = _programme(request, pk)
    table = _table(request, programme)
    title = _("%(title)s: work summary table (Annex 3)") % {"title": programme.title}
    enterprises = selectors.summary_enterprise_rows(
        cases=cases_scoping.cases_visible(request.user), programme=programme
    )
    visible = cases_scoping.cases_visible(request.user)
    voluntary = summary.voluntary_table(
        programme=programme,
        cases=visible,
        counts=scoping.counts_visible(request.user),
        districts=scoping.summary_districts_visible(request.user, programme),
    )
    data = exports.summary_xlsx(
        title=title,
        issuer=programme.city.local_name,
        day=timezone.localdate(),
        table=table,
        enterprises=enterprises.iterator(chunk_size=2000),
        voluntary=voluntary,
        voluntary_cases=selectors.summary_voluntary_rows(cases=visible, programme=programme).iterator(
            chunk_size=2000
        ),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''annex3-{programme.year}.xlsx"
    return response


@login_required
def summary_file(request, pk: int, district_pk: int):
    """The district's filing: the table's row frozen, with the written summary and next year's plan."""
    programme = _programme(request, pk)
    district = scoping.summary_districts_visible(request.user, programme).filter(pk=district_pk).first()
    if district is None or not scoping.may_file_summary(request.user, programme, district):
        raise Http404
    posted = request.method == "POST"
    form = SummaryFilingForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        filing = on_form(
            request,
            form,
            services.summary_file,
            programme=programme,
            district=district,
            actor=request.user,
            narrative=form.cleaned_data["narrative"],
            work_plan=form.cleaned_data["work_plan"],
            attachment=form.cleaned_data["attachment"] or None,
        )
        if filing is not None:
            messages.success(
                request,
                _("The summary table was filed on %(at)s.")
                % {"at": f"{timezone.localtime(filing.filed_at):%Y-%m-%d %H:%M}"},
            )
            return redirect("summary-page", pk=programme.pk)
    last = selectors.filings_latest(user=request.user, programme=programme).get(district.pk)
    if last is not None and not form.is_bound:
        form.initial = {"narrative": last.narrative, "work_plan": last.work_plan}
    return render(
        request,
        "reports/file_form.html",
        {"programme": programme, "district": district, "form": form, "last": last},
        status=400 if form.is_bound else 200,
    )


def _filing(request, programme, filing_pk):
    filing = (
        SummaryFiling.objects.filter(
            programme=programme,
            district__in=scoping.summary_districts_visible(request.user, programme).values("pk"),
            pk=filing_pk,
        )
        .select_related("district", "filed_by", "milestone")
        .first()
    )
    if filing is None:
        raise Http404
    return filing


@login_required
def filing_attachment(request, pk: int, filing_pk: int):
    programme = _programme(request, pk)
    filing = _filing(request, programme, filing_pk)
    if not filing.attachment:
        raise Http404
    event_record(
        action="summary.attachment.download",
        actor=request.user,
        obj=filing,
        after={"sha256": filing.attachment_sha256},
    )
    try:
        handle = stream_open(filing.attachment)
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filing.attachment_name)


@login_required
def filing_detail(request, pk: int, filing_pk: int):
    """A frozen filing beside today's figures."""
    programme = _programme(request, pk)
    filing = _filing(request, programme, filing_pk)
    table = summary.summary_table(
        programme=programme,
        cases=cases_scoping.cases_visible(request.user),
        counts=scoping.counts_visible(request.user),
        districts=[filing.district],
    )
    today = table.rows[0][1]
    lines = [(c, filing.figures.get(c.key, 0), today[c.key]) for c in table.columns]
    changed = {c.key for c, _t, _n in summary.difference(filing.figures, today, table.columns)}
    return render(
        request,
        "reports/filing.html",
        {"programme": programme, "filing": filing, "lines": lines, "changed": changed},
    )


def _dashboard(request):
    """The figures and the filter they were taken with; a district outside the scope is not found."""
    from qingshen.reports.dashboard import dashboard_cached
    from qingshen.reports.dashboard_filter import DashboardFilter

    if not scoping.may_see_dashboard(request.user):
        raise Http404
    form = DashboardFilter(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid() and form.out_of_scope:
        raise Http404
    return form, dashboard_cached(user=request.user, **form.chosen())


@login_required
def dashboard_page(request):
    """Headline figures, then a chart per subject with its data table folded under it."""
    form, board = _dashboard(request)
    query = urlencode({k: v for k, v in request.GET.items() if k in form.fields and v})
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "kind": form.chosen()["kind"],
            "headline": board.headline,
            "charts": [(c, c.as_json(), f"chart-data-{c.key}") for c in board.charts],
            "query": f"?{query}" if query else "",
            "MONEY": MONEY,
            "PERCENT": PERCENT,
        },
    )


@login_required
def dashboard_export(request, key: str):
    from qingshen.programmes.exports import workbook_bytes

    _form, board = _dashboard(request)
    chart = next((c for c in board.charts if c.key == key), None)
    if chart is None:
        raise Http404
    columns = [(str(chart.category_label), 24)] + [(str(name), 16) for name, _v in chart.series]
    issuer = request.user.jurisdiction.local_name if request.user.jurisdiction_id else ""
    data = workbook_bytes(
        title=str(chart.title), issuer=issuer, day=timezone.localdate(), columns=columns, rows=chart.rows()
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''dashboard-{chart.key}.xlsx"
    return response


def _circular(request, pk):
    from qingshen.cases.states import State

    programme = _programme(request, pk)
    table = _table(request, programme)
    cases = (
        cases_scoping.cases_visible(request.user)
        .filter(programme=programme, state__in=[State.ACCEPTED, State.PUBLISHED])
        .select_related("enterprise", "jurisdiction")
        .order_by("jurisdiction__path", "enterprise__name")
    )
    return {"programme": programme, "cases": list(cases), "total": table.total}


@login_required
def circular_download(request, pk: int, ext: str):
    """The results circular (审核结果通报) as PDF or DOCX, from the same figures as the summary."""
    from qingshen.reports import documents

    kwargs = _circular(request, pk)
    if ext == "pdf":
        data, ctype = documents.circular_pdf(**kwargs), "application/pdf"
    else:
        data = documents.circular_docx(**kwargs)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''circular-{kwargs['programme'].year}.{ext}"
    )
    return response
