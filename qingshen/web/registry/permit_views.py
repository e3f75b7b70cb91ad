"""An enterprise's discharge permits: the list (whoever sees the enterprise among the bureau's staff)
and the form to record or change one (the city or district bureau over it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping as accounts_scoping
from qingshen.accounts.roles import AUTHORITY_ROLES
from qingshen.registry import scoping, selectors
from qingshen.registry.models import Permit
from qingshen.registry.permit_selectors import permits_of
from qingshen.registry.permits import permit_save
from qingshen.registry.services import RegistryError
from qingshen.web.registry.forms import PermitForm


def _enterprise_or_404(request, pk):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if enterprise is None or not (
        accounts_scoping.sees_case_data(request.user) and request.user.role in AUTHORITY_ROLES
    ):
        raise Http404
    return enterprise


@login_required
def permit_list(request, pk: int):
    enterprise = _enterprise_or_404(request, pk)
    return render(
        request,
        "registry/permit_list.html",
        {
            "enterprise": enterprise,
            "permits": permits_of(enterprise),
            "today": timezone.localdate(),
            "may_edit": scoping.may_edit_enterprise(request.user, enterprise),
        },
    )


@login_required
def permit_edit(request, pk: int, permit_pk: int | None = None):
    enterprise = _enterprise_or_404(request, pk)
    if not scoping.may_edit_enterprise(request.user, enterprise):
        raise Http404
    permit = None
    if permit_pk is not None:
        permit = Permit.objects.filter(pk=permit_pk, enterprise=enterprise).first()
        if permit is None:
            raise Http404
    initial = {}
    if permit is not None:
        initial = {
            f: getattr(permit, f)
            for f in ("number", "management_class", "issuing_authority", "valid_from", "valid_to")
        }
        initial["pollutants"] = PermitForm.pollutants_text(permit)
    form = PermitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            permit_save(actor=request.user, enterprise=enterprise, permit=permit, **form.cleaned_data)
        except RegistryError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprise-permits", pk=enterprise.pk)
    return render(
        request, "registry/permit_form.html", {"form": form, "enterprise": enterprise, "permit": permit}
    )
