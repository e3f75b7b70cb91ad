"""Progress returns of a "progress report due" milestone: a district's staff file theirs on this page and
see whether it was on time; the city (and the authorities above it) see who has filed and who is late.
Anyone else, and any other milestone, is answered 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.programmes import progress, scoping, selectors
from qingshen.programmes.errors import ProgrammeError
from qingshen.web.programmes.forms import ProgressReturnForm
from qingshen.web.programmes.pages import programme_or_404


@login_required
def progress_page(request, pk: int, milestone_pk: int):
    programme = programme_or_404(request, pk)
    milestone = selectors.progress_milestone_get(programme=programme, pk=milestone_pk)
    files = scoping.may_file_progress(request.user, programme)
    board = scoping.may_see_progress_board(request.user, programme)
    if milestone is None or not (files or board):
        raise Http404
    mine = None
    form = None
    if files:
        mine = selectors.progress_board(
            programme=programme, milestone=milestone, districts=[request.user.jurisdiction]
        )[0]
        record = mine["return"]
        initial = {}
        if record is not None:
            initial = {name: getattr(record, name) for name in ("text", *progress.FIGURES)}
        form = ProgressReturnForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                progress.progress_return_file(milestone=milestone, actor=request.user, **form.cleaned_data)
            except ProgrammeError as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The progress return is filed."))
                return redirect("progress-return", pk=programme.pk, milestone_pk=milestone.pk)
    elif request.method == "POST":
        raise Http404
    rows = selectors.progress_board(programme=programme, milestone=milestone) if board else []
    return render(
        request,
        "programmes/progress.html",
        {
            "programme": programme,
            "milestone": milestone,
            "form": form,
            "mine": mine,
            "rows": rows,
            "late_count": sum(r["status"] in ("late", "filed_late") for r in rows),
            "filed_count": sum(r["return"] is not None for r in rows),
        },
    )
