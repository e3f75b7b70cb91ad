"""Staff pages of group audits (行业/园区/集群整体审核): a programme's groups with the form that opens one,
and a group's page (its case, documents and members, members added or removed before its review)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import group_selectors, groups, scoping
from qingshen.cases.group_rule import STAGE_LABELS, counting_stage
from qingshen.core.errors import NotFound, Refused
from qingshen.programmes import groups as group_opening
from qingshen.programmes import scoping as programmes_scoping
from qingshen.programmes import selectors as programme_selectors
from qingshen.registry import scoping as registry_scoping
from qingshen.web.cases.group_forms import GroupOpenForm, MemberAddForm


def _programme_or_404(request, pk):
    programme = programme_selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not accounts_scoping.sees_case_data(request.user):
        raise Http404
    return programme


@login_required
def programme_groups(request, pk: int):
    programme = _programme_or_404(request, pk)
    user = request.user
    may_open = programmes_scoping.may_amend_list(user, programme)
    leads = programme_selectors.enterprises_addable(user=user, programme=programme)
    form = GroupOpenForm(request.POST or None, leads=leads)
    if request.method == "POST":
        if not may_open:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = group_opening.group_open(
                    programme=programme,
                    lead=data["lead"],
                    lead_kind=data["lead_kind"],
                    name=data["name"],
                    lead_account=data["lead_account"],
                    actor=user,
                )
            except Refused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The group audit is opened; add its members."))
                return redirect("group-detail", pk=group.pk)
    return render(
        request,
        "groups/programme_groups.html",
        {
            "programme": programme,
            "groups": group_selectors.groups_of_programme(user=user, programme=programme),
            "may_open": may_open,
            "form": form,
            "stage": STAGE_LABELS[counting_stage()],
        },
    )


def _group_or_404(request, pk):
    group = (
        scoping.groups_visible(request.user)
        .select_related("case__programme", "case__enterprise")
        .filter(pk=pk)
    )
    group = group.first()
    if group is None:
        raise Http404
    return group


@login_required
def group_detail(request, pk: int):
    form = None
    group = _group_or_404(request, pk)
    user = request.user
    editable = groups.may_manage_groups(user) and group.case.state in groups.MEMBERS_EDITABLE
    addable = (
        registry_scoping.enterprises_visible(user)
        .filter(jurisdiction__path__startswith=group.case.programme.city.path)
        .exclude(pk=group.case.enterprise_id)
        .exclude(pk__in=group.members.filter(removed_at__isnull=True).values("enterprise_id"))
        .order_by("name")
    )
    if request.method == "POST":
        if not editable:
            raise Http404
        form = MemberAddForm(request.POST, enterprises=addable)
        if form.is_valid():
            try:
                groups.group_member_add(
                    group_id=group.pk, enterprise=form.cleaned_data["enterprise"], actor=user
                )
            except NotFound as exc:
                raise Http404 from exc
            except Refused as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The member is added."))
                return redirect("group-detail", pk=pk)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "members": group_selectors.members_of(group),
            "documents": scoping.documents_visible(user).filter(case_id=group.case_id).order_by("-pk"),
            "sees_case": scoping.cases_visible(user).filter(pk=group.case_id).exists(),
            "editable": editable,
            "form": form or MemberAddForm(enterprises=addable),
            "stage": STAGE_LABELS[counting_stage()],
        },
    )


@login_required
@require_POST
def group_member_remove(request, pk: int, member_pk: int):
    group = _group_or_404(request, pk)
    if not group.members.filter(pk=member_pk, removed_at__isnull=True).exists():
        raise Http404
    try:
        groups.group_member_remove(member_id=member_pk, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The member is removed."))
    return redirect("group-detail", pk=pk)
