"""The expert's page (the city copies and renews the first-login link there) and adding one expert."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from qingshen.reviews import scoping
from qingshen.web.reviews.views import _run


@login_required
def expert_detail(request, pk: int):
    """The expert's record and, for the city, the login and its copyable first-login link."""
    from qingshen.accounts.invitations import invitation_path
    from qingshen.reviews.experts import expert_invitation_renew, expert_login_state

    if not scoping.may_see_expert_pool(request.user):
        raise Http404
    expert = get_object_or_404(
        scoping.experts_visible(request.user)
        .select_related("region", "user")
        .prefetch_related("specialties"),
        pk=pk,
    )
    may_manage = scoping.may_manage_experts(request.user)
    if request.method == "POST":
        if _run(
            request,
            expert_invitation_renew,
            actor=request.user,
            expert_id=expert.pk,
            base_url=request.build_absolute_uri("/"),
        ):
            messages.success(request, _("A new link was made; the previous one no longer works."))
        return redirect("expert-detail", pk=expert.pk)
    ctx = {"expert": expert, "may_manage": may_manage}
    if may_manage:
        ctx.update(expert_login_state(expert))
        invitation = ctx["invitation"]
        ctx["link"] = request.build_absolute_uri(invitation_path(invitation)) if invitation else ""
    return render(request, "reviews/expert_detail.html", ctx)


@login_required
def expert_new(request):
    """The city adds one expert (checked as an imported row); the expert's page then shows the link."""
    from qingshen.reviews.experts import expert_create
    from qingshen.web.reviews.forms import ExpertForm

    if not scoping.may_manage_experts(request.user):
        raise Http404
    form = ExpertForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            expert = _run(
                request,
                expert_create,
                actor=request.user,
                row=form.row(),
                base_url=request.build_absolute_uri("/"),
            )
            if expert:
                messages.success(request, _("The expert was added with a login; give them the link below."))
                return redirect("expert-detail", pk=expert.pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(request, "reviews/expert_form.html", {"form": form})
