"""Importing earlier years' rounds (upload → progress → preview → commit) and the blank template."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.exports import workbook_bytes
from qingshen.programmes.history import batches, columns, invitations
from qingshen.programmes.imports.stored_rows import StoredRows
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
    batch = scoping.history_batches_visible(request.user).defer("rows").filter(pk=history_pk).first()
    if batch is None:
        raise Http404
    return batch


DECISIONS = ("keep", "rename")


def _batch_page(request, batch, *, decisions=None, missing=()):
    number = request.GET.get("page")
    rows = StoredRows(batch.pk, type(batch))  # perhaps 100,000 of them: only the page's are read
    decisions = decisions or {}
    return render(
        request,
        "programmes/history_batch.html",
        {
            "batch": batch,
            "errors": Paginator(batch.errors, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "error_count": len(batch.errors),
            "preview": Paginator(rows, settings.QINGSHEN_PAGE_SIZE).get_page(number),
            "row_count": len(rows),
            "skipped_count": len(batch.skipped),
            # Each enterprise named otherwise in the registry, with the decision sent (a page sent back).
            "conflicts": [
                {
                    **c,
                    "decision": decisions.get(c["uscc"], ""),
                    "error": _("%(code)s: choose whether to keep the registry's name or take the file's.")
                    % {"code": c["uscc"]}
                    if c["uscc"] in missing
                    else "",
                }
                for c in batch.conflicts
            ],
            "to_invite": invitations.enterprises_to_invite(batch, request.user).count()
            if batch.status == batch.Status.COMMITTED
            else 0,
            "busy": batch.status in ("queued", "validating", "committing"),
        },
    )


@login_required
def history_batch(request, history_pk: int):
    return _batch_page(request, _batch_or_404(request, history_pk))


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
    # One choice per enterprise; "for all" answers those left without one.
    every = request.POST.get("decision-all", "")
    decisions = {c["uscc"]: request.POST.get(f"decision-{c['uscc']}", "") for c in batch.conflicts}
    decisions = {code: d if d in DECISIONS else every for code, d in decisions.items()}
    missing = [code for code, d in decisions.items() if d not in DECISIONS]
    if missing:
        return _batch_page(request, batch, decisions=decisions, missing=missing)
    renames = {code for code, d in decisions.items() if d == "rename"}
    try:
        batches.history_batch_commit_request(batch=batch, actor=request.user, renames=renames)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    return redirect("history-batch", history_pk=batch.pk)


@login_required
@require_POST
def history_invite(request, history_pk: int):
    batch = _batch_or_404(request, history_pk)
    try:
        n = invitations.history_batch_invite(batch=batch, actor=request.user)
    except ProgrammeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s enterprise was given an account and invited.",
                "%(n)s enterprises were given an account and invited.",
                n,
            )
            % {"n": n},
        )
    return redirect("history-batch", history_pk=batch.pk)
