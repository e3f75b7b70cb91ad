"""Writes on group audits (行业/园区/集群整体审核): members added and removed before the group's review,
and, when the group passes at the stage the rule names, each member's open case closed as counted by
the group (环办科财函〔2023〕79号: 视同开展一次清洁生产审核).

The group's own case runs the ordinary lifecycle; `group_members_count` is an effect on the pass rows of
the lifecycle table, so it runs inside the conclusion's transaction with the group case locked."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.roles import Role
from qingshen.accounts.scoping import user_is
from qingshen.cases import scoping
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.group_rule import counting_stage
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase, GroupAudit, GroupMember
from qingshen.cases.signals import case_counted_by_group
from qingshen.cases.states import CLOSED_STATES, State
from qingshen.trail.services import event_record

# Members change only before the group applies for evaluation: the panel reviews one fixed group.
MEMBERS_EDITABLE = frozenset({State.LISTED, State.DISCLOSED, State.AUDITING, State.REPORT_SUBMITTED})


def may_manage_groups(user) -> bool:
    """The city bureau forms groups and their membership (it amends the published list too)."""
    return user_is(user, Role.CITY)


def group_create(*, case: AuditCase, name: str, lead_kind: str, actor) -> GroupAudit:
    """The group carried by `case` (its lead's new case, kind `group`); called by programmes.groups
    inside the transaction that opened the case."""
    name = (name or "").strip()
    if not name:
        raise TransitionRefused(_("A group audit needs a name."))
    if lead_kind not in GroupAudit.LeadKind.values:
        raise TransitionRefused(_("Choose the kind of lead: park, industry or cluster."))
    if case.kind != CaseKind.GROUP:
        raise TransitionRefused(_("Only a group case carries a group audit."))
    group = GroupAudit.objects.create(case=case, name=name[:200], lead_kind=lead_kind, created_by=actor)
    event_record(
        action="group.create",
        actor=actor,
        obj=group,
        after={"case": case.pk, "name": group.name, "lead_kind": lead_kind, "lead": case.enterprise_id},
    )
    return group


def _group_locked(*, group_id: int, actor) -> GroupAudit:
    """The group if the actor sees its case, the case row locked; refused unless members may change."""
    group = GroupAudit.objects.filter(pk=group_id, case__in=scoping.cases_visible(actor).values("pk")).first()
    if group is None or not may_manage_groups(actor):
        raise CaseNotFound()
    group.case = AuditCase.objects.select_for_update().select_related("programme").get(pk=group.case_id)
    if group.case.state not in MEMBERS_EDITABLE:
        raise TransitionRefused(
            _("Members can no longer change: the group case is “%(state)s”.")
            % {"state": State(group.case.state).label}
        )
    return group


def member_own_case(enterprise) -> AuditCase | None:
    """The member's open audit case of its own (not a group's), the latest year first."""
    return (
        AuditCase.objects.filter(enterprise=enterprise)
        .exclude(kind=CaseKind.GROUP)
        .exclude(state__in=sorted(CLOSED_STATES))
        .order_by("-programme__year", "-pk")
        .first()
    )


@transaction.atomic
def group_member_add(*, group_id: int, enterprise, actor) -> GroupMember:
    group = _group_locked(group_id=group_id, actor=actor)
    city = group.case.programme.city
    if not enterprise.jurisdiction.is_within(city):
        raise TransitionRefused(_("The enterprise is not in this city."))
    if enterprise.pk == group.case.enterprise_id:
        raise TransitionRefused(_("The lead carries the group; it is not one of its members."))
    if group.members.filter(enterprise=enterprise, removed_at__isnull=True).exists():
        raise TransitionRefused(_("%(name)s is already a member of this group.") % {"name": enterprise.name})
    other = (
        GroupMember.objects.filter(enterprise=enterprise, removed_at__isnull=True)
        .exclude(group=group)
        .exclude(group__case__state__in=sorted(CLOSED_STATES))
        .select_related("group")
        .first()
    )
    if other is not None:
        raise TransitionRefused(
            _("%(name)s is already a member of the open group “%(group)s”.")
            % {"name": enterprise.name, "group": other.group.name}
        )
    member = GroupMember.objects.create(
        group=group, enterprise=enterprise, case=member_own_case(enterprise), added_by=actor
    )
    event_record(
        action="group.member.add",
        actor=actor,
        obj=group,
        after={"enterprise": enterprise.pk, "member_case": member.case_id},
    )
    return member


@transaction.atomic
def group_member_remove(*, member_id: int, actor) -> GroupMember:
    member = GroupMember.objects.filter(pk=member_id, removed_at__isnull=True).first()
    if member is None:
        raise CaseNotFound()
    group = _group_locked(group_id=member.group_id, actor=actor)
    member.removed_at, member.removed_by = timezone.now(), actor
    member.save(update_fields=["removed_at", "removed_by"])
    event_record(
        action="group.member.remove",
        actor=actor,
        obj=group,
        before={"enterprise": member.enterprise_id, "member_case": member.case_id},
    )
    return member


def member_of_passed_group(step) -> None:
    """Guard of `count_by_group`: the step carries the confirmed pass of a group this case is a member of."""
    conclusion = step.conclusion
    if (
        conclusion is None
        or conclusion.confirmed_at is None
        or conclusion.outcome != "pass"
        or not GroupMember.objects.filter(
            case=step.case, group__case_id=conclusion.case_id, removed_at__isnull=True
        ).exists()
    ):
        raise TransitionRefused(_("A case is counted by a group audit only when that group passes."))


def group_members_count(step) -> None:
    """Effect of the pass rows: a group case passing at the rule's stage closes each member's open case
    as counted by the group (row-locked, one logged step each, linking the group's page and documents)."""
    if step.case.kind != CaseKind.GROUP or step.transition.review[0] != counting_stage():
        return
    from qingshen.cases.lifecycle import Action, transition_get
    from qingshen.cases.services import _take

    group = GroupAudit.objects.filter(case_id=step.case.pk).first()
    if group is None:
        return
    count = transition_get(Action.COUNT_BY_GROUP)
    link = reverse("group-detail", args=[group.pk])
    note = _("Counted by the group audit “%(name)s” (its documents: %(link)s).") % {
        "name": group.name,
        "link": link,
    }
    members = list(group.members.filter(removed_at__isnull=True, counted_on__isnull=True))
    closed = []
    for member in members:
        case = (
            AuditCase.objects.select_for_update().filter(pk=member.case_id).first()
            if member.case_id
            else None
        )
        if case is not None and case.state in count.sources:
            _take(
                case,
                count,
                actor=step.actor,
                comment=note,
                conclusion=step.conclusion,
                effective_on=max(step.day, case.published_on),
            )
            closed.append(case.pk)
            case_counted_by_group.send(
                sender=AuditCase, case=case, group=group, actor=step.actor, day=step.day
            )
        member.counted_on = step.day
        member.save(update_fields=["counted_on"])
    event_record(
        action="group.members.counted",
        actor=step.actor,
        obj=group,
        after={"stage": step.transition.review[0], "members": len(members), "cases_closed": closed},
    )
