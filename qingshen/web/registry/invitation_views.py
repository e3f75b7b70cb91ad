"""The bureau's page of an enterprise's first-login link: see, copy and make a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qingshen.accounts import invitations
from qingshen.accounts.models import Invitation
from qingshen.core.errors import Refused
from qingshen.registry import scoping, services


@login_required
def enterprise_invitation(request, pk: int):
    enterprise = get_object_or_404(scoping.enterprises_visible(request.user), pk=pk)
    if not scoping.may_manage_invitations(request.user, enterprise):
        raise Http404
    if request.method == "POST":
        try:
            services.invitation_regenerate(
                enterprise=enterprise, actor=request.user, base_url=request.build_absolute_uri("/")
            )
        except Refused as exc:
            raise Http404 from exc
        messages.success(request, _("A new link was made; the previous one no longer works."))
        return redirect("enterprise-invitation", pk=enterprise.pk)
    account = invitations.enterprise_primary_account(enterprise)
    invitation = Invitation.objects.filter(user=account).order_by("-created_at").first() if account else None
    link = request.build_absolute_uri(invitations.invitation_path(invitation)) if invitation else ""
    return render(
        request,
        "portal/enterprise_invitation.html",
        {"enterprise": enterprise, "account": account, "invitation": invitation, "link": link},
    )
