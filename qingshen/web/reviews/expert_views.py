"""The expert pool: the list, one expert's page (the city copies and renews the first-login link
there), adding one expert, importing many from xlsx, taking one out of the draws."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts.invitations import invitation_path
from qingshen.reviews import experts, importing, scoping
from qingshen.web.reviews.calls import flashed, on_form, posted
from qingshen.web.reviews.forms import ExpertForm, ExpertImportForm


@login_required
def expert_list(request):
    if not scoping.may_see_expert_pool(request.user):
        raise Http404
    pool = (
        scoping.experts_visible(request.user)
        .select_related("region")
        .prefetch_related("specialties")
        .annotate(n_seats=Count("seats"))
        .order_by("name", "pk")
    )
    page = Paginator(pool, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/expert_list.html",
        {"page": page, "may_import": scoping.may_manage_experts(request.user)},
    )


@login_required
def expert_detail(request, pk: int):
    """The expert's record and, for the city, the login and its copyable first-login link."""
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
        if flashed(
            request,
            experts.expert_invitation_renew,
            actor=request.user,
            expert_id=expert.pk,
            base_url=request.build_absolute_uri("/"),
        ):
            messages.success(request, _("A new link was made; the previous one no longer works."))
        return redirect("expert-detail", pk=expert.pk)
    ctx = {"expert": expert, "may_manage": may_manage}
    if may_manage:
        ctx.update(experts.expert_login_state(expert))
        invitation = ctx["invitation"]
        ctx["link"] = request.build_absolute_uri(invitation_path(invitation)) if invitation else ""
    return render(request, "reviews/expert_detail.html", ctx)


@login_required
def expert_new(request):
    """The city adds one expert (checked as an imported row); the expert's page then shows the link."""
    if not scoping.may_manage_experts(request.user):
        raise Http404
    form = ExpertForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        expert = on_form(
            request,
            form,
            experts.expert_create,
            actor=request.user,
            row=form.row(),
            base_url=request.build_absolute_uri("/"),
        )
        if expert:
            messages.success(request, _("The expert was added with a login; give them the link below."))
            return redirect("expert-detail", pk=expert.pk)
    return render(request, "reviews/expert_form.html", {"form": form})


@login_required
def expert_import(request):
    if not scoping.may_manage_experts(request.user):
        raise Http404
    form = ExpertImportForm(*posted(request))
    report = None
    if request.method == "POST" and form.is_valid():
        report = importing.expert_import(
            actor=request.user, fileobj=form.cleaned_data["file"], base_url=request.build_absolute_uri("/")
        )
        if report.ok:
            messages.success(request, _("%(n)s experts imported.") % {"n": report.created})
        else:
            form.add_error(None, _("Nothing was imported; correct the rows below and try again."))
    return render(
        request,
        "reviews/expert_import.html",
        {"form": form, "report": report, "columns": list(importing.COLUMNS)},
    )


@login_required
@require_POST
def expert_set_active(request, pk: int):
    if flashed(
        request,
        experts.expert_set_active,
        actor=request.user,
        expert_id=pk,
        is_active=bool(request.POST.get("is_active")),
    ):
        messages.success(request, _("Saved."))
    return redirect("expert-list")
