"""Import (upload → progress → preview → commit) and .xlsx downloads of the lists."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import scoping as cases_scoping
from qingshen.programmes import exports, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.imports import batches
from qingshen.programmes.imports.stored_rows import StoredRows
from qingshen.web.programmes.forms import ImportForm
from qingshen.web.programmes.pages import refused_on

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def import_upload(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not scoping.may_import_list(request.user, programme):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.import_batch_create(
                programme=programme,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            return redirect("import-batch", batch_pk=batch.pk)
    return render(
        request,
        "programmes/import_upload.html",
        {
            "programme": programme,
            "form": form,
            "recent": scoping.imports_visible(request.user).filter(programme=programme)[
                : settings.QINGSHEN_SHORTLIST_ROWS
            ],
        },
    )


def _batch_or_404(request, batch_pk):
    batch = (
        scoping.imports_visible(request.user)
        .select_related("programme")
        .defer("rows")  # perhaps 100,000 of them: the page reads its own (StoredRows)
        .filter(pk=batch_pk)
        .first()
    )
    if batch is None:
        raise Http404
    return batch


def _batch_page(request, batch, *, decisions=None, missing=(), commit_error=""):
    number = request.GET.get("page")
    decisions = decisions or {}
    rows = StoredRows(batch.pk)
    # A failed batch lists its problems, a ready one its rows: one page number serves either list.
    return render(
        request,
        "programmes/import_batch.html",
        {
            "batch": batch,
            "programme": batch.programme,
            "errors": Paginator(batch.errors, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "error_count": len(batch.errors),
            "preview": Paginator(rows, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "row_count": len(rows),
            # Each name conflict with the decision sent (when the page comes back with errors).
            "conflicts": [
                {
                    **c,
                    "decision": decisions.get(c["row"], ""),
                    "error": _("Row %(row)s: choose whether to keep the registry's name or take the file's.")
                    % {"row": c["row"]}
                    if c["row"] in missing
                    else "",
                }
                for c in batch.conflicts
            ],
            "commit_error": commit_error,
            "busy": batch.status in ("queued", "validating", "committing"),
        },
    )


@login_required
def import_batch(request, batch_pk: int):
    return _batch_page(request, _batch_or_404(request, batch_pk))


@login_required
def import_status(request, batch_pk: int):
    batch = _batch_or_404(request, batch_pk)
    return JsonResponse(
        {
            "state": batch.status,
            "label": str(batch.get_status_display()),
            "total": batch.total_rows,
            "processed": batch.processed_rows,
            "percent": batch.percent,
            "url": reverse("import-batch", args=[batch.pk]),
        }
    )


@login_required
@require_POST
def import_commit(request, batch_pk: int):
    batch = _batch_or_404(request, batch_pk)
    decisions = {c["row"]: request.POST.get(f"decision-{c['row']}", "") for c in batch.conflicts}
    missing = [row for row, decision in decisions.items() if decision not in ("keep", "rename")]
    if missing:
        return _batch_page(request, batch, decisions=decisions, missing=missing)
    renames = {row for row, decision in decisions.items() if decision == "rename"}
    try:
        batches.import_batch_commit_request(batch=batch, actor=request.user, renames=renames)
    except ProgrammeError as exc:
        batch.refresh_from_db()
        if batch.status != batch.Status.READY:  # the page has no import form any more
            messages.error(request, exc.message)
            return redirect("import-batch", batch_pk=batch.pk)
        return _batch_page(request, batch, decisions=decisions, commit_error=exc.message)
    return redirect("import-batch", batch_pk=batch.pk)


@login_required
def import_template(request):
    if not scoping.may_download_import_template(request.user):
        raise Http404
    return _xlsx(exports.template(), "list-template.xlsx")


def _exportable(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not scoping.may_export_list(request.user, programme):
        raise Http404
    return programme


@login_required
def export_annual(request, pk: int):
    programme = _exportable(request, pk)
    listings = list(selectors.listings_of(user=request.user, programme=programme))
    exports.export_record(actor=request.user, what="annual_list", rows=len(listings), obj=programme)
    return _xlsx(exports.annual_list(programme=programme, listings=listings), f"annex1-{programme.year}.xlsx")


@login_required
def export_carry_over(request, pk: int):
    programme = _exportable(request, pk)
    cases = list(selectors.carry_over_cases(user=request.user, programme=programme))
    exports.export_record(actor=request.user, what="carry_over_list", rows=len(cases), obj=programme)
    title = _("%(title)s: earlier years' audits not yet accepted (Annex 2)") % {"title": programme.title}
    return _xlsx(
        exports.carry_over_table(title=title, programme=programme, cases=cases),
        f"annex2-{programme.year}.xlsx",
    )


@login_required
def export_plan(request, pk: int):
    programme = _exportable(request, pk)
    entries = selectors.plan_entries_of(user=request.user, programme=programme)
    if scoping.may_decide_plan(request.user, programme):
        entries = entries.filter(merged_at__isnull=False)  # the city's plan list: what it merged
    entries = list(entries)
    exports.export_record(actor=request.user, what="plan_list", rows=len(entries), obj=programme)
    return _xlsx(exports.plan_list(programme=programme, entries=entries), f"annex4-{programme.year}.xlsx")


@login_required
def export_cases(request):
    """The case list as filtered on the cases page (same form, same scoping), without paging."""
    from qingshen.cases import selectors as case_selectors
    from qingshen.programmes.case_filters import CaseFilter
    from qingshen.web.cases.forms import CaseFilterForm

    if not cases_scoping.may_export_cases(request.user):
        raise Http404
    form = CaseFilterForm(
        request.GET or None,
        programmes=scoping.programmes_visible(request.user),
        jurisdictions=accounts_scoping.jurisdictions_visible(request.user).filter(level="district"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    listed = case_selectors.cases_listed(user=request.user).select_related("listing")
    cases = list(CaseFilter(request.GET if form.is_valid() else None, queryset=listed, request=request).qs)
    exports.export_record(
        actor=request.user,
        what="case_list",
        rows=len(cases),
        filters={k: str(v) for k, v in filters.items() if v},
    )
    issuer = request.user.jurisdiction.name if request.user.jurisdiction_id else ""
    title = _("Mandatory cleaner production audits: case list")
    return _xlsx(
        exports.case_table(title=title, issuer=issuer, cases=cases),
        f"cases-{timezone.localdate():%Y%m%d}.xlsx",
    )
