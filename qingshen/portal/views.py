"""The enterprise and agency portal: home, disclosure, documents. Thin: scoping decides, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import disclosures, scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases import services as case_services
from qingshen.cases.documents import document_store
from qingshen.cases.models import Disclosure
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.portal import selectors
from qingshen.portal.forms import (
    DisclosureForm,
    DocumentUploadForm,
)
from qingshen.registry.permit_selectors import permitted_limits

IMPORT_SESSION_KEY = "qingshen.option_import.%s"


def _case_or_404(request, pk):
    case = case_selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


@login_required
def portal_home(request):
    if not accounts_scoping.may_use_portal(request.user):
        raise Http404
    return render(
        request,
        "portal/home.html",
        {
            "rows": selectors.portal_cases(user=request.user),
            "groups": selectors.portal_groups(user=request.user),
            "may_invite": accounts_scoping.may_invite_colleagues(request.user),
            "may_register_voluntary": scoping.may_register_voluntary(request.user),
        },
    )


@login_required
def disclosure_form(request, pk: int):
    case = _case_or_404(request, pk)
    if case.listing_id is None:  # a voluntary audit discloses nothing under Art. 11
        raise Http404
    disclosure = Disclosure.objects.filter(case=case).select_related("proof").first()
    editable = scoping.may_edit_case_materials(request.user, case) and (
        disclosure is None or disclosure.status == Disclosure.Status.DRAFT
    )
    grounds = list(case.listing.grounds)
    permitted = _permitted_limits(case, disclosure, grounds, live=editable)
    if request.method == "POST":
        if not editable:
            raise Http404
        form = DisclosureForm(request.POST, request.FILES, grounds=grounds)
        actuals = {r["key"]: request.POST.get(r["input"], "") for r in (permitted or {}).get("rows", [])}
        if form.is_valid():
            try:
                disclosures.disclosure_save(
                    case=case,
                    actor=request.user,
                    content=form.content(),
                    published_where=form.cleaned_data["published_where"],
                    proof_upload=form.cleaned_data.get("proof"),
                    actuals=actuals,
                )
                if "submit" in request.POST:
                    case_services.disclosure_submit(case_id=case.pk, actor=request.user)
                    messages.success(request, _("Submitted. Your disclosure is now on the public site."))
                    return redirect("portal-home")

                messages.success(
                    request, _("Saved. Submit when everything is filled in and the proof is uploaded.")
                )
                return redirect("case-disclosure", pk=case.pk)
            except NotFound as exc:
                raise Http404 from exc
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
    else:
        initial = dict(disclosure.content) if disclosure else disclosures.disclosure_minimal_content(case)
        if disclosure is None:  # prefill only the facts the register already knows
            initial = {
                k: v
                for k, v in initial.items()
                if k in {"enterprise_name", "legal_representative", "address"}
            }
        if disclosure:
            initial["published_where"] = disclosure.published_where
        form = DisclosureForm(initial=initial, grounds=grounds)
    return render(
        request,
        "portal/disclosure_form.html",
        {
            "case": case,
            "form": form,
            "disclosure": disclosure,
            "editable": editable,
            "flag": case_selectors.disclosure_flag(case=case),
            "deadline": case.deadlines.filter(kind="disclosure").first(),
            "permitted": permitted,
        },
    )


def _permitted_limits(case, disclosure, grounds, *, live: bool) -> dict | None:
    """The permitted limits shown beside the actual figures: while the draft is open the permit in force
    today (with the figures already saved), afterwards what the disclosure kept."""
    saved = (disclosure.content.get("permitted_limits") if disclosure else None) or {}
    if not live:
        return saved or None
    current = permitted_limits(case.enterprise, timezone.localdate()) if "emissions" in grounds else None
    if current is None:
        return None
    given = {r["key"]: r.get("actual", "") for r in saved.get("rows", [])}
    for i, row in enumerate(current["rows"]):
        row["input"], row["actual"] = f"actual-{i}", given.get(row["key"], "")
    return current


@login_required
def documents(request, pk: int):
    case = _case_or_404(request, pk)
    may_upload = scoping.may_edit_case_materials(request.user, case)
    form = DocumentUploadForm(initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST":
        if not may_upload:
            raise Http404
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                doc = document_store(
                    case=case,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                )
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
            else:
                messages.success(
                    request,
                    _("Stored as version %(v)s of “%(kind)s”.")
                    % {"v": doc.version, "kind": doc.get_kind_display()},
                )
                return redirect("case-documents", pk=case.pk)
    return render(
        request,
        "portal/documents.html",
        {
            "case": case,
            "documents": case_selectors.documents_of(case=case),
            "form": form,
            "may_upload": may_upload,
        },
    )
