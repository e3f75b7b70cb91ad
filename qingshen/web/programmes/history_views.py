"""Importing earlier years' rounds (upload → progress → preview → commit) and the blank template."""

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
from qingshen.programmes.history import batches, columns
from qingshen.web.programmes.forms import HistoryImportForm
from qingshen.web.programmes.io_views import _xlsx
from qingshen.web.programmes.pages import refused_on


@login_required
def history_upload(request):
    if not scoping.may_import_history(request.user):
        raise Http404
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = batches.history_batch_create(upload=form.cleaned_data["file"], actor=request.user)
        except ProgrammeError as exc:
            refused_on(form, exc)
        else:
            return redirect("history-batch", history_pk=batch.pk)
    return render(
        request,
        "programmes/history_upload.html",
        {
            "form": form,
            "headers": "、".join(columns.HEADERS.values()),
            "recent": scoping.history_batches_visible(request.user)[: settings.QINGSHEN_SHORTLIST_ROWS],
        },
    )


@login_required
def history_template(request):
    if not scoping.may_import_history(request.user):
        raise Http404
    keys = list(columns.HEADERS)
    data = workbook_bytes(
        title="历年强制性清洁生产审核情况",
        issuer=scoping.history_city(request.user).name,
        day=timezone.localdate(),
        columns=[(columns.HEADERS[k], columns.TEMPLATE_WIDTHS.get(k, 12)) for k in keys],
        rows=[[columns.TEMPLATE_EXAMPLE[k] for k in keys]],
    )
    return _xlsx(data, "history-template.xlsx")


def _batch_or_404(request, history_pk):
    batch = scoping.history_batches_visible(request.user).filter(pk=history_pk).first()
    if batch is None:
        raise Http404
    return batch


@login_required
def history_batch(request, history_pk: int):
    batch = _batch_or_404(request, history_pk)
    number = request.GET.get("page")
    return render(
        request,
        "programmes/history_batch.html",
        {
            "batch": batch,
            "errors": Paginator(batch.errors, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "error_count": len(batch.errors),
            "preview": Paginator(batch.rows, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "row_count": len(batch.rows),
            "skipped_count": len(batch.skipped),
            "busy": batch.status in ("queued", "validating", "committing"),
        },
    )


@login_required
def history_status(request, history_pk: int):
    batch = _batch_or_404(request, history_pk)
    return JsonResponse(
        {
            "state": batch.status,
            "label": str(batch.get_status_display()),
            "total": batch.total_rows,
            "processed": batch.processed_rows,
            "percent": batch.percent,
            "url": reverse("history-batch", args=[batch.pk]),
        }
    )


@login_required
@require_POST
def history_commit(request, history_pk: int):
    batch = _batch_or_404(request, history_pk)
    try:
        batches.history_batch_commit_request(batch=batch, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    return redirect("history-batch", history_pk=batch.pk)
