"""The enterprise and agency portal (issue 5). Thin: scoping decides, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import invitations
from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import disclosures, scoping
from qingshen.cases import option_import as imports
from qingshen.cases import options as option_services
from qingshen.cases import selectors as case_selectors
from qingshen.cases import services as case_services
from qingshen.cases.documents import document_store
from qingshen.cases.models import Delegation, Disclosure, Indicator
from qingshen.core.errors import NotFound, Refused
from qingshen.portal import selectors
from qingshen.portal.forms import (
    BaselineForm,
    ColleagueForm,
    DelegationForm,
    DisclosureForm,
    DocumentUploadForm,
    ImportForm,
    OptionForm,
    PasswordForm,
)
from qingshen.registry import scoping as registry_scoping
from qingshen.registry import services as registry_services

IMPORT_SESSION_KEY = "qingshen.option_import.%s"


def _case_or_404(request, pk):
    case = case_selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


@login_required
def portal_home(request):
    if not accounts_scoping.may_use_portal(request.user):
        raise Http404
    return render(
        request,
        "portal/home.html",
        {
            "rows": selectors.portal_cases(user=request.user),
            "may_invite": accounts_scoping.may_invite_colleagues(request.user),
        },
    )


@login_required
def disclosure_form(request, pk: int):
    case = _case_or_404(request, pk)
    disclosure = Disclosure.objects.filter(case=case).select_related("proof").first()
    editable = scoping.may_edit_case_materials(request.user, case) and (
        disclosure is None or disclosure.status == Disclosure.Status.DRAFT
    )
    grounds = list(case.listing.grounds)
    if request.method == "POST":
        if not editable:
            raise Http404
        form = DisclosureForm(request.POST, request.FILES, grounds=grounds)
        if form.is_valid():
            try:
                disclosures.disclosure_save(
                    case=case,
                    actor=request.user,
                    content=form.content(),
                    published_where=form.cleaned_data["published_where"],
                    proof_upload=form.cleaned_data.get("proof"),
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
                messages.error(request, exc.as_html(here=request.path))
        else:
            _form_errors(request, form)
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
        },
    )


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
                messages.error(request, exc.as_html(here=request.path))
            else:
                messages.success(
                    request,
                    _("Stored as version %(v)s of “%(kind)s”.")
                    % {"v": doc.version, "kind": doc.get_kind_display()},
                )
                return redirect("case-documents", pk=case.pk)
        else:
            _form_errors(request, form)
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


def _option_data(form) -> option_services.OptionData:
    d = form.cleaned_data
    return option_services.OptionData(
        code=d["code"],
        name=d["name"],
        cost_class=d["cost_class"],
        investment=d["investment"],
        status=d["status"],
        planned_on=d["planned_on"],
        started_on=d.get("started_on"),
        implemented_on=d.get("implemented_on"),
        dropped_reason=d.get("dropped_reason", ""),
        benefits=form.benefits(),
    )


@login_required
def options(request, pk: int):
    case = _case_or_404(request, pk)
    may_edit = scoping.may_edit_case_materials(request.user, case)
    indicators = list(Indicator.objects.all())
    earliest, today = option_services.earliest_option_day(case), timezone.localdate()
    option_form = OptionForm(indicators=indicators)
    option_form.date_bounds(earliest, today)
    base_year = option_services.base_year_of(case)
    baseline_form = BaselineForm(initial={"year": base_year or case.published_on.year - 1})
    if request.method == "POST":
        if not may_edit:
            raise Http404
        try:
            if request.POST.get("form") == "baseline":
                baseline_form = BaselineForm(request.POST)
                if baseline_form.is_valid():
                    option_services.baseline_save(
                        case=case,
                        actor=request.user,
                        indicator=baseline_form.cleaned_data["indicator"],
                        value=baseline_form.cleaned_data["value"],
                        source=baseline_form.cleaned_data["source"],
                        year=baseline_form.cleaned_data["year"],
                    )
                    messages.success(request, _("Baseline saved."))
                    return redirect("case-options", pk=case.pk)
                _form_errors(request, baseline_form)
            else:
                option_form = OptionForm(request.POST, indicators=indicators)
                option_form.date_bounds(earliest, today)
                if option_form.is_valid():
                    option_services.option_save(case=case, actor=request.user, data=_option_data(option_form))
                    messages.success(request, _("Option saved."))
                    return redirect("case-options", pk=case.pk)
                _form_errors(request, option_form)
        except NotFound as exc:
            raise Http404 from exc
        except Refused as exc:
            messages.error(request, exc.as_html(here=request.path))
    return render(
        request,
        "portal/options.html",
        {
            "case": case,
            "options": case_selectors.options_of(case=case),
            "totals": case_selectors.option_totals(case=case),
            "may_edit": may_edit,
            "option_form": option_form,
            "baseline_form": baseline_form,
            "base_year": base_year,
            "earliest_option_day": earliest,
            "import_form": ImportForm(),
        },
    )


@login_required
def option_template(request, pk: int):
    case = _case_or_404(request, pk)
    response = HttpResponse(
        imports.template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="options-template-{case.pk}.xlsx"'
    return response


@login_required
@require_POST
def option_import(request, pk: int):
    """Step 1 (a file): preview with the row report. Step 2 (commit): write all rows or none."""
    case = _case_or_404(request, pk)
    if not scoping.may_edit_case_materials(request.user, case):
        raise Http404
    key = IMPORT_SESSION_KEY % case.pk
    if "commit" in request.POST:
        stored = request.session.pop(key, None)
        if not stored:
            messages.error(request, _("Nothing to import; upload the table again."))
            return redirect("case-options", pk=case.pk)
        try:
            saved = option_services.options_save(
                case=case, actor=request.user, rows=imports.rows_from_session(stored)
            )
        except Refused as exc:
            messages.error(request, exc.as_html(here=request.path))
        else:
            messages.success(request, _("%(n)s options imported.") % {"n": len(saved)})
        return redirect("case-options", pk=case.pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("case-options", pk=case.pk)
    try:
        rows, problems = imports.option_table_parse(case=case, upload=form.cleaned_data["file"])
    except Refused as exc:
        messages.error(request, exc.as_html(here=request.path))
        return redirect("case-options", pk=case.pk)
    if problems:
        request.session.pop(key, None)
    else:
        request.session[key] = imports.rows_to_session(rows)
    return render(
        request,
        "portal/option_import.html",
        {"case": case, "rows": rows, "problems": problems, "status_labels": imports.STATUS_LABELS},
    )


@login_required
def delegations(request, pk: int):
    case = _case_or_404(request, pk)
    may_delegate = scoping.may_delegate(request.user, case)
    form = DelegationForm(initial={"starts_on": timezone.localdate()})
    if request.method == "POST":
        if not may_delegate:
            raise Http404
        try:
            if "revoke" in request.POST:
                revoke = request.POST.get("revoke", "")
                if not revoke.isdigit():
                    raise Http404
                delegation = get_object_or_404(Delegation, pk=int(revoke), case=case)
                case_services.delegation_revoke(delegation=delegation, actor=request.user)
                messages.success(request, _("Delegation revoked: the agency no longer acts on this case."))
                return redirect("case-delegations", pk=case.pk)
            form = DelegationForm(request.POST)
            if form.is_valid():
                case_services.delegation_create(case=case, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Delegated."))
                return redirect("case-delegations", pk=case.pk)
            _form_errors(request, form)
        except NotFound as exc:
            raise Http404 from exc
        except Refused as exc:
            messages.error(request, exc.as_html(here=request.path))
    return render(
        request,
        "portal/delegations.html",
        {
            "case": case,
            "delegations": case.delegations.select_related("agency").order_by("-starts_on", "-pk"),
            "form": form,
            "may_delegate": may_delegate,
            "today": timezone.localdate(),
        },
    )


@login_required
def enterprise_invitation(request, pk: int):
    enterprise = get_object_or_404(registry_scoping.enterprises_visible(request.user), pk=pk)
    if not registry_scoping.may_manage_invitations(request.user, enterprise):
        raise Http404
    if request.method == "POST":
        try:
            registry_services.invitation_regenerate(
                enterprise=enterprise, actor=request.user, base_url=request.build_absolute_uri("/")
            )
        except Refused as exc:
            raise Http404 from exc
        messages.success(request, _("A new link was made; the previous one no longer works."))
        return redirect("enterprise-invitation", pk=enterprise.pk)
    account = invitations.enterprise_primary_account(enterprise)
    invitation = selectors.invitation_latest(user=account) if account else None
    link = request.build_absolute_uri(invitations.invitation_path(invitation)) if invitation else ""
    return render(
        request,
        "portal/enterprise_invitation.html",
        {"enterprise": enterprise, "account": account, "invitation": invitation, "link": link},
    )


@login_required
def colleagues(request):
    if not accounts_scoping.may_invite_colleagues(request.user):
        raise Http404
    form = ColleagueForm()
    new_link = ""
    if request.method == "POST":
        form = ColleagueForm(request.POST)
        if form.is_valid():
            try:
                invitation = invitations.colleague_invite(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    base_url=request.build_absolute_uri("/"),
                )
            except invitations.InvitationRefused as exc:
                messages.error(request, exc.message)
            else:
                new_link = request.build_absolute_uri(invitations.invitation_path(invitation))
                messages.success(
                    request,
                    _("Account %(u)s created. Give your colleague this link.")
                    % {"u": invitation.user.username},
                )
                form = ColleagueForm()
        else:
            _form_errors(request, form)
    return render(
        request,
        "portal/colleagues.html",
        {"colleagues": selectors.colleagues_of(user=request.user), "form": form, "new_link": new_link},
    )


def invitation_accept(request, token: str):
    """No login: the link itself is the credential, once and until it expires."""
    invitation = invitations.invitation_usable(token[:100])
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitations.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except invitations.InvitationRefused as exc:
            form.add_error("password1", exc.message)
        else:
            messages.success(
                request, _("Your password is set. Log in with your login name and the new password.")
            )
            return redirect("login")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": invitation})
