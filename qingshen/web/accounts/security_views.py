"""The security administrator's pages: role grants and security parameters (三员分立)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import lockout, scoping, services
from qingshen.accounts.models import SecurityParameter, User
from qingshen.accounts.parameters import PARAMETERS, validate
from qingshen.web.accounts.forms import RoleGrantForm, SecurityParametersForm


@login_required
def grant_list(request):
    if not scoping.may_grant_roles(request.user):
        raise Http404
    qs = (
        scoping.users_grantable(request.user)
        .select_related("jurisdiction", "enterprise", "agency")
        .order_by("username")
    )
    q = request.GET.get("q", "").strip()[:150]
    if q:
        qs = qs.filter(username__icontains=q)
    page = Paginator(qs, settings.QINGSHEN_ADMIN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/grant_list.html",
        {"page": page, "q": q, "querystring": urlencode({"q": q}) if q else ""},
    )


@login_required
def grant_edit(request, pk):
    if not scoping.may_grant_roles(request.user):
        raise Http404
    target = get_object_or_404(scoping.users_grantable(request.user), pk=pk)
    initial = {
        "role": target.role,
        "authority": target.authority,
        "jurisdiction": target.jurisdiction_id,
        "enterprise_uscc": target.enterprise.uscc if target.enterprise_id else "",
        "agency": target.agency_id,
    }
    form = RoleGrantForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                actor=request.user,
                user_id=target.pk,
                role=data["role"],
                jurisdiction=data["jurisdiction"],
                enterprise=data["enterprise_uscc"],
                agency=data["agency"],
                authority=data["authority"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The role was granted."))
            return redirect("security-grants")
    locks = lockout.login_locks_active(username=target.username)
    return render(request, "accounts/grant_edit.html", {"form": form, "target": target, "locks": locks})


@login_required
@require_POST
def account_unlock(request, pk):
    if not scoping.may_grant_roles(request.user):
        raise Http404
    try:
        lockout.login_unlock(actor=request.user, user_id=pk)
    except User.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The account was unlocked."))
    return redirect("security-grant-edit", pk=pk)


@login_required
@require_POST
def account_otp_reset(request, pk):
    if not scoping.may_grant_roles(request.user):
        raise Http404
    try:
        services.otp_reset(actor=request.user, user_id=pk)
    except User.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The second factor was reset; the user enrols again at the next login."))
    return redirect("security-grant-edit", pk=pk)


@login_required
def parameter_edit(request):
    if not scoping.may_set_security_parameters(request.user):
        raise Http404
    values = dict(SecurityParameter.objects.values_list("key", "value"))
    form = SecurityParametersForm(request.POST or None, values=values)
    if request.method == "POST" and form.is_valid():
        # Check every value first: a bad one changes nothing.
        for key, parameter in PARAMETERS.items():
            try:
                validate(parameter, form.cleaned_data[key])
            except ValueError as exc:
                form.add_error(key, str(exc))
        if form.is_valid():
            with transaction.atomic():
                for key in PARAMETERS:
                    services.security_parameter_set(actor=request.user, key=key, value=form.cleaned_data[key])
            messages.success(request, _("The security parameters were saved."))
            return redirect("security-parameters")
    return render(request, "accounts/parameters.html", {"form": form})
