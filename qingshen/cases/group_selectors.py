"""Reads on group audits: a programme's groups, a group's members and documents, a member case's group."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from qingshen.cases import scoping
from qingshen.cases.models import AuditCase, Document, GroupAudit, GroupMember


def groups_of_programme(*, user, programme) -> QuerySet:
    return (
        scoping.groups_visible(user)
        .filter(case__programme=programme)
        .select_related("case__enterprise")
        .annotate(member_count=Count("members", filter=Q(members__removed_at__isnull=True)))
        .order_by("name")
    )


def members_of(group: GroupAudit) -> QuerySet:
    return (
        group.members.filter(removed_at__isnull=True)
        .select_related("enterprise__jurisdiction", "case__programme")
        .order_by("enterprise__name")
    )


def group_documents(group: GroupAudit) -> QuerySet:
    """The group case's documents: what a member case counted by the group points to."""
    return Document.objects.filter(case_id=group.case_id).order_by("-pk")


def membership_of_case(case: AuditCase) -> GroupMember | None:
    """The group a member's own case belongs to (the latest membership not removed)."""
    return (
        GroupMember.objects.filter(case=case, removed_at__isnull=True)
        .select_related("group__case")
        .order_by("-pk")
        .first()
    )


def groups_counted(user) -> QuerySet:
    """The groups the user sees, each with its members not removed counted (a subquery: the scope's own
    join on members, for a member enterprise, must not narrow the count)."""
    members = (
        GroupMember.objects.filter(group=OuterRef("pk"), removed_at__isnull=True)
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        scoping.groups_visible(user)
        .select_related("case__enterprise", "case__programme")
        .annotate(member_count=Coalesce(Subquery(members), 0))
    )
