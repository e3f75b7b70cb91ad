"""A group audit (行业/园区/集群整体审核) in the portal: its case, members and their state, its documents.
The lead (park management committee, industry association; or its delegated agency) uploads the group's
report, submits it and applies for the evaluation through the ordinary case services and the review's
apply page; members read it all and act on nothing. Thin: scoping decides, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import group_selectors, scoping
from qingshen.cases import services as case_services
from qingshen.cases.documents import document_store
from qingshen.cases.enterprise_steps import ENTERPRISE_NEXT_STEP, WAITING_MESSAGE
from qingshen.cases.lifecycle import Action
from qingshen.cases.models import Document
from qingshen.cases.states import State
from qingshen.core.errors import NotFound, Refused
from qingshen.core.files.reading import stream_open
from qingshen.core.pages import refusal_on_form
from qingshen.portal.forms import GroupReportForm
from qingshen.trail.services import event_record


def _group_or_404(user, pk):
    if not accounts_scoping.may_use_portal(user):
        raise Http404
    group = (
        scoping.groups_visible(user)
        .select_related("case__enterprise", "case__programme")
        .filter(pk=pk)
        .first()
    )
    if group is None:
        raise Http404
    return group


@login_required
def group_page(request, pk: int):
    user = request.user
    group = _group_or_404(user, pk)
    case = group.case
    lead = scoping.may_edit_case_materials(user, case)  # the lead's own users, or its agency
    form = GroupReportForm()
    if request.method == "POST":
        if not lead or case.state != State.AUDITING:
            raise Http404
        form = GroupReportForm(request.POST, request.FILES)
        if form.is_valid() and _report_step(request, form, case):
            return redirect("portal-group", pk=pk)
        case.refresh_from_db()
    step = ENTERPRISE_NEXT_STEP.get(case.state)
    report = case.documents.filter(kind=Document.Kind.AUDIT_REPORT, superseded_by__isnull=True).first()
    return render(
        request,
        "portal/group.html",
        {
            "group": group,
            "case": case,
            "lead": lead,
            "todo": step[1] if step else WAITING_MESSAGE.get(case.state, ""),
            "members": group_selectors.members_of(group),
            "documents": scoping.group_documents_visible(user).filter(case=case).order_by("kind", "-pk"),
            "report": report,
            "report_form": form if lead and case.state == State.AUDITING else None,
            "may_apply": lead and case.state == State.REPORT_SUBMITTED,
        },
        status=400 if form.errors else 200,
    )


def _report_step(request, form, case) -> bool:
    """Store the group's report (a new version), or, with "submit", store it if given and submit it."""
    upload = form.cleaned_data["file"]
    try:
        if "submit" in request.POST:
            kwargs = {
                "case_id": case.pk,
                "actor": request.user,
                "action": Action.SUBMIT_REPORT,
                "expected_version": form.cleaned_data["version"],
            }
            if upload is not None:
                case_services.case_transition_with_upload(
                    upload=upload, document_kind=Document.Kind.AUDIT_REPORT, **kwargs
                )
            else:
                case_services.case_transition(**kwargs)
            messages.success(request, _("The group's audit report is submitted."))
            return True
        if upload is None:
            form.add_error("file", _("Choose the report file."))
            return False
        doc = document_store(case=case, kind=Document.Kind.AUDIT_REPORT, upload=upload, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        refusal_on_form(form, exc, here=request.path)
        return False
    messages.success(request, _("Stored as version %(v)s of the group's audit report.") % {"v": doc.version})
    return True


@login_required
def group_document(request, pk: int, doc_pk: int):
    """A group document for whoever sees the group: members read the file that counts their audit."""
    group = _group_or_404(request.user, pk)
    doc = get_object_or_404(scoping.group_documents_visible(request.user), pk=doc_pk, case_id=group.case_id)
    event_record(
        action="document.download",
        actor=request.user,
        obj=doc,
        after={"case": group.case_id, "group": group.pk, "kind": doc.kind, "version": doc.version},
    )
    try:
        handle = stream_open(doc.file)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=doc.original_name)
    if not response.has_header("Content-Length"):
        response["Content-Length"] = doc.size
    return response
