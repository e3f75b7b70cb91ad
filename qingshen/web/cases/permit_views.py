"""The audit's permit findings on the case page: the form posts here, the page shows the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import selectors
from qingshen.cases.errors import CaseError
from qingshen.cases.permit_records import case_permit_record
from qingshen.core.errors import NotFound
from qingshen.web.cases.forms import PermitFindingsForm


@login_required
@require_POST
def case_permit(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    form = PermitFindingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("case-detail", pk=pk)
    try:
        case_permit_record(actor=request.user, case=case, **form.cleaned_data)
    except NotFound as exc:
        raise Http404 from exc
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permit findings saved."))
    return redirect("case-detail", pk=pk)


def permit_context(user, case, today) -> dict:
    """What the case page shows of the permit: the registry's permit in force, the findings, the form."""
    from qingshen.cases.models import CasePermitRecord
    from qingshen.cases.scoping import may_record_permit_findings
    from qingshen.registry.permit_selectors import permit_current

    record = CasePermitRecord.objects.filter(case=case).first()
    may_record = may_record_permit_findings(user, case)
    initial = (
        {"application": record.application, "implementation": record.implementation, "note": record.note}
        if record
        else {}
    )
    return {
        "permit_current": permit_current(case.enterprise, today),
        "permit_record": record,
        "permit_form": PermitFindingsForm(initial=initial) if may_record else None,
    }
