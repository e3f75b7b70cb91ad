from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.accounts.roles import Authority
from qingshen.cases import acknowledgements, group_selectors, scoping, selectors, services
from qingshen.cases.deadlines import days_left
from qingshen.cases.lifecycle import transition_get
from qingshen.cases.states import State
from qingshen.core.errors import NotFound, Refused
from qingshen.core.field_html import drawn_fields
from qingshen.core.files.reading import stream_open
from qingshen.core.keyset import keyset_page, querystring_without_cursor
from qingshen.oversight import selectors as oversight_selectors
from qingshen.programmes import scoping as programmes_scoping
from qingshen.programmes.case_filters import CaseFilter
from qingshen.registry import scoping as registry_scoping
from qingshen.registry.bureau_models import EnergyConsultation
from qingshen.trail.services import event_record
from qingshen.web.cases.forms import CaseFilterForm, TransitionForm
from qingshen.web.cases.list_rows import case_rows_html
from qingshen.web.cases.permit_views import permit_context


@login_required
def case_list(request):
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    form = CaseFilterForm(
        request.GET or None,
        # The choices read only what their options show.
        programmes=programmes_scoping.programmes_visible(request.user).only("title"),
        jurisdictions=accounts_scoping.jurisdictions_visible(request.user)
        .filter(level="district")
        .only("name", "name_en"),
    )
    # The form shows the fields and their errors; the shared FilterSet does the narrowing and sorting,
    # and none of it while a field is wrong (the page says so).
    data = request.GET if form.is_valid() else None
    cases = CaseFilter(data, queryset=selectors.case_rows_listed(user=request.user), request=request).qs
    sort = data.get("sort", "") if data is not None else ""
    page = keyset_page(
        cases,
        selectors.case_order(sort),
        size=settings.QINGSHEN_PAGE_SIZE,
        params=request.GET,
        exact_up_to=settings.QINGSHEN_LIST_EXACT_COUNT_UP_TO,
        rows=selectors.case_row_values,
    )
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "fields": drawn_fields(form),
            "page": page,
            "rows": case_rows_html(page.object_list, timezone.localdate()),
            "querystring": querystring_without_cursor(request.GET),
        },
    )


@login_required
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return _detail_page(request, case)


def _consulted(case) -> dict | None:
    """The department consulted on the case and how (cases.scoping), for the case page; None if none."""
    authority = scoping.case_consulted_authority(case)
    if not authority:
        return None
    return {
        "authority": Authority(authority).label,
        "how": EnergyConsultation(scoping.consultation_of(case)).label,
    }


def _detail_page(request, case, *, sent: TransitionForm | None = None, refusal: str = ""):
    """The case page. After a refused or invalid step, `sent` is the form as posted (its errors beside its
    fields) and `refusal` why the step was refused: both shown on that step's form, or above the steps
    when the case no longer offers that step."""
    today = timezone.localdate()
    deadlines = [(d, days_left(d.due_on, today)) for d in case.deadlines.all()]
    sent_action = sent.data.get("action", "") if sent is not None else ""
    actions = [
        (t, sent if t.action == sent_action else TransitionForm(action=t.action))
        for t in services.actions_for(request.user, case)
    ]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "deadlines": deadlines,
            "actions": actions,
            "refused_here": sent_action if any(t.action == sent_action for t, _f in actions) else "",
            "sent": sent,
            "refusal": refusal,
            "timeline": selectors.case_timeline(case=case),
            "stages": selectors.case_stages(case=case),
            "document_groups": selectors.documents_by_kind(case=case),
            "grounds": case.listing.grounds_display() if case.listing_id else [],
            "may_acknowledge": scoping.may_acknowledge(request.user, case) and case.acknowledged_on is None,
            "consulted": _consulted(case),
            "read_only_here": not scoping.leads_case(request.user, case),
            "disclosure_flag": selectors.disclosure_flag(case=case, today=today),
            "disclosure_ready": case.state == State.LISTED and selectors.disclosure_ready(case=case),
            "may_manage_invitation": registry_scoping.may_manage_invitations(request.user, case.enterprise),
            "oversight": oversight_selectors.case_oversight(user=request.user, case=case),
            **permit_context(request.user, case, today),
            "membership": group_selectors.membership_of_case(case),
            "group": getattr(case, "group_audit", None) if case.kind == "group" else None,
        },
    )


@login_required
@require_POST
def case_transition(request, pk: int):
    form = TransitionForm(request.POST, request.FILES, action=request.POST.get("action", ""))
    if not form.is_valid():
        return _refused(request, pk, form)
    data = form.cleaned_data
    transition = transition_get(data["action"])
    if transition is not None and transition.via_review:
        # Applications, completeness checks and conclusions carry materials and a panel: review pages.
        return _refused(request, pk, form, _("This step is taken on the review pages of the case."))
    kwargs = {
        "case_id": pk,
        "actor": request.user,
        "action": data["action"],
        "comment": data["comment"],
        "reason": data["reason"],
        "level": data["level"],
        "expected_version": data["version"],
    }
    try:
        if data.get("document") is not None:
            case = services.case_transition_with_upload(upload=data["document"], **kwargs)
        else:
            case = services.case_transition(**kwargs)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        return _refused(request, pk, form, exc.as_html(here=request.path))
    messages.success(request, _("Done. The case is now “%(state)s”.") % {"state": case.get_state_display()})
    return redirect("case-detail", pk=pk)


@login_required
@require_POST
def case_acknowledge(request, pk: int):
    """The bureau acknowledges a voluntary audit's registration."""
    try:
        acknowledgements.case_acknowledge(case_id=pk, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Registration acknowledged."))
    return redirect("case-detail", pk=pk)


def _refused(request, pk: int, form: TransitionForm, refusal: str = ""):
    """The case page again, as it is now, with the step's form as sent and why it did not go through."""
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return _detail_page(request, case, sent=form, refusal=refusal)


@login_required
def document_download(request, pk: int, doc_pk: int):
    doc = get_object_or_404(scoping.documents_visible(request.user), pk=doc_pk, case_id=pk)
    event_record(
        action="document.download",
        actor=request.user,
        obj=doc,
        after={"case": pk, "kind": doc.kind, "version": doc.version, "sha256": doc.sha256},
    )
    try:
        handle = stream_open(doc.file)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=doc.original_name)
    if not response.has_header("Content-Length"):
        response["Content-Length"] = doc.size  # a bucket's stream tells no size of its own
    return response
