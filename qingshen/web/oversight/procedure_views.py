"""The city's page for its procedure (履职行权规程): a new edition and the history of editions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.oversight import scoping, selectors
from qingshen.oversight.procedure_edit import procedure_edit
from qingshen.web.oversight.procedure_forms import ProcedureEditForm
from qingshen.web.reviews.calls import on_form


@login_required
def procedure_edit_page(request):
    procedure = selectors.procedure_current()
    if procedure is None or not scoping.may_edit_procedure(request.user):
        raise Http404
    posted = request.method == "POST"
    form = ProcedureEditForm(request.POST if posted else None, procedure=procedure)
    if posted and form.is_valid():
        fields, steps = form.values()
        version = on_form(
            request,
            form,
            procedure_edit,
            actor=request.user,
            procedure=procedure,
            fields=fields,
            steps=steps,
            effective_on=form.cleaned_data["effective_on"],
            note=form.cleaned_data["note"],
        )
        if version is not None:
            if version.applied_at:
                messages.success(request, _("Edition %(n)s is in effect.") % {"n": version.number})
            else:
                messages.success(
                    request,
                    _("Edition %(n)s takes effect on %(date)s.")
                    % {"n": version.number, "date": f"{version.effective_on:%Y-%m-%d}"},
                )
            return redirect("procedure-edit")
    return render(
        request,
        "oversight/procedure_edit.html",
        {"procedure": procedure, "form": form, "versions": selectors.procedure_versions(procedure)},
        status=400 if posted else 200,
    )
