"""Importing discharge permits from the permit system's export (upload → progress → preview → commit)
and the blank template: the history import's pages (history_views) for another file."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.exports import workbook_bytes
from qingshen.programmes.imports.stored_rows import StoredRows
from qingshen.programmes.permits import batches, columns
from qingshen.web.programmes.forms import HistoryImportForm
from qingshen.web.programmes.io_views import _xlsx
from qingshen.web.programmes.pages import refused_on


@login_required
def permit_upload(request):
    if not scoping.may_import_permits(request.user):
        raise Http404
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.permit_batch_create(upload=form.cleaned_data["file"], actor=request.user)
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            return redirect("permit-batch", permit_batch_pk=batch.pk)
    return render(
        request,
        "programmes/permit_upload.html",
        {
            "form": form,
            "headers": "、".join(columns.HEADERS.values()),
            "recent": scoping.permit_batches_visible(request.user)[: settings.QINGSHEN_SHORTLIST_ROWS],
        },
    )


@login_required
def permit_template(request):
    if not scoping.may_import_permits(request.user):
        raise Http404
    keys = list(columns.HEADERS)
    data = workbook_bytes(
        title="排污许可证信息",
        issuer=scoping.permit_import_jurisdiction(request.user).name,
        day=timezone.localdate(),
        columns=[(columns.HEADERS[k], columns.TEMPLATE_WIDTHS.get(k, 12)) for k in keys],
        rows=[[columns.TEMPLATE_EXAMPLE[k] for k in keys]],
    )
    return _xlsx(data, "permit-template.xlsx")


def _batch_or_404(request, permit_batch_pk):
    batch = scoping.permit_batches_visible(request.user).defer("rows").filter(pk=permit_batch_pk).first()
    if batch is None:
        raise Http404
    return batch


@login_required
def permit_batch(request, permit_batch_pk: int):
    batch = _batch_or_404(request, permit_batch_pk)
    number = request.GET.get("page")
    rows = StoredRows(batch.pk, type(batch))  # perhaps 100,000 of them: only the page's are read
    return render(
        request,
        "programmes/permit_batch.html",
        {
            "batch": batch,
            "errors": Paginator(batch.errors, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "error_count": len(batch.errors),
            "preview": Paginator(rows, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "row_count": len(rows),
            "busy": batch.status in ("queued", "validating", "committing"),
        },
    )


@login_required
def permit_status(request, permit_batch_pk: int):
    batch = _batch_or_404(request, permit_batch_pk)
    return JsonResponse(
        {
            "state": batch.status,
            "label": str(batch.get_status_display()),
            "total": batch.total_rows,
            "processed": batch.processed_rows,
            "percent": batch.percent,
            "url": reverse("permit-batch", args=[batch.pk]),
        }
    )


@login_required
@require_POST
def permit_commit(request, permit_batch_pk: int):
    batch = _batch_or_404(request, permit_batch_pk)
    try:
        batches.permit_batch_commit_request(batch=batch, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    return redirect("permit-batch", permit_batch_pk=batch.pk)
