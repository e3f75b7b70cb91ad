from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import scoping as cases_scoping
from qingshen.programmes import scoping as programmes_scoping
from qingshen.programmes.reaudit import reaudit_of_enterprise
from qingshen.registry import scoping, selectors, services
from qingshen.web.registry.forms import CREATE_FIELDS, FIELDS, EnterpriseCreateForm, EnterpriseEditForm


@login_required
def enterprise_list(request):
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.enterprise_list(user=request.user, q=q), settings.QINGSHEN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    may_create = scoping.enterprise_jurisdictions_creatable(request.user).exists()
    return render(
        request,
        "registry/enterprise_list.html",
        {
            "page": page,
            "q": q,
            "may_create": may_create,
            "may_import_permits": programmes_scoping.may_import_permits(request.user),
            "querystring": urlencode({"q": q}) if q else "",
        },
    )


@login_required
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if enterprise is None:
        raise Http404
    cases = (
        cases_scoping.cases_visible(request.user)
        .filter(enterprise=enterprise)
        .select_related("programme")
        .order_by("-programme__year")  # every round, imported ones included
    )
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "former_names": enterprise.former_names.all(),
            "cases": cases,
            "reaudit": reaudit_of_enterprise(user=request.user, enterprise=enterprise),
            "today": timezone.localdate(),
            "may_edit": scoping.may_edit_enterprise(request.user, enterprise),
        },
    )


@login_required
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if enterprise is None or not scoping.may_edit_enterprise(request.user, enterprise):
        raise Http404
    form = EnterpriseEditForm(request.POST or None, instance=enterprise)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(
                actor=request.user, enterprise=enterprise, **{f: form.cleaned_data[f] for f in FIELDS}
            )
        except services.RegistryError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprise-detail", pk=pk)
    return render(request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise})


@login_required
def enterprise_create(request):
    jurisdictions = scoping.enterprise_jurisdictions_creatable(request.user)
    if not jurisdictions.exists():
        raise Http404
    form = EnterpriseCreateForm(request.POST or None, jurisdictions=jurisdictions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enterprise = services.enterprise_create(
                actor=request.user,
                uscc=data["uscc"],
                jurisdiction=data["jurisdiction"],
                **{f: data[f] for f in CREATE_FIELDS},
            )
        except services.RegistryError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Registered."))
            return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "registry/enterprise_form.html", {"form": form, "enterprise": None})
