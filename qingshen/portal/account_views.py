"""Who works on the enterprise's cases: delegations to an agency, colleagues, and the first-login link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import invitations
from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import scoping
from qingshen.cases import services as case_services
from qingshen.cases.models import Delegation
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.portal import selectors
from qingshen.portal.forms import (
    ColleagueForm,
    DelegationForm,
    PasswordForm,
)
from qingshen.portal.views import _case_or_404


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
        except NotFound as exc:
            raise Http404 from exc
        except Refused as exc:
            if "revoke" in request.POST:
                messages.error(request, exc.as_html(here=request.path))
            else:
                refusal_on_form(form, exc, here=request.path)
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
            except Refused as exc:
                refusal_on_form(form, exc)
            else:
                new_link = request.build_absolute_uri(invitations.invitation_path(invitation))
                messages.success(
                    request,
                    _("Account %(u)s created. Give your colleague this link.")
                    % {"u": invitation.user.username},
                )
                form = ColleagueForm()
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
