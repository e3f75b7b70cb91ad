"""The enterprise's answer to the panel's request for revision (修改完善): what to revise, by when, and
the upload of the revised report (a new version of the audit report)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingshen.cases import scoping as cases_scoping
from qingshen.cases import selectors as case_selectors
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.reviews.models import RevisionRequest
from qingshen.reviews.services import revisions


class RevisedReportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Revised report"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


@login_required
def revisions_page(request, pk: int):
    case = case_selectors.case_get(user=request.user, pk=pk)
    if case is None or not cases_scoping.may_edit_case_materials(request.user, case):
        raise Http404
    rows = list(
        RevisionRequest.objects.filter(review__case=case).select_related("review", "document").order_by("-pk")
    )
    open_one = next((r for r in rows if r.is_open), None)
    form = RevisedReportForm()
    if request.method == "POST":
        if open_one is None:
            raise Http404
        form = RevisedReportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                revisions.revision_submit(
                    revision_id=open_one.pk, actor=request.user, upload=form.cleaned_data["file"]
                )
            except NotFound as exc:
                raise Http404 from exc
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
            else:
                messages.success(
                    request, _("Your revised report was handed in; the panel's chair signs it off.")
                )
                return redirect("case-revisions", pk=pk)
    return render(
        request,
        "portal/revisions.html",
        {"case": case, "rows": rows, "open_revision": open_one, "form": form if open_one else None},
    )
