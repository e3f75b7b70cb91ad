"""Attaching the documents of imported earlier rounds from one zip (programmes.history.documents)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.history import documents
from qingshen.web.programmes.forms import HistoryDocumentsForm
from qingshen.web.programmes.pages import refused_on


@login_required
def history_documents(request):
    if not scoping.may_import_history(request.user):
        raise Http404
    form = HistoryDocumentsForm(request.POST or None, request.FILES or None)
    placed, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                placed = documents.history_documents_attach(
                    upload=form.cleaned_data["archive"], actor=request.user
                )
            except documents.ArchiveRefused as exc:
                placed = exc.placed
                refused_on(form, exc)
            except ProgrammeError as exc:
                refused_on(form, exc)
            else:
                status = 200
                messages.success(
                    request,
                    _("%(n)s documents were attached to %(cases)s imported rounds.")
                    % {"n": len(placed), "cases": len({p.case.pk for p in placed})},
                )
    return render(
        request,
        "programmes/history_documents.html",
        {"form": form, "placed": placed, "kinds": documents.KIND_WORDS},
        status=status,
    )
