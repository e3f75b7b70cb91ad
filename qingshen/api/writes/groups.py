"""Group audits (行业/园区/集群整体审核) through the API: the groups in your scope with their lead, members
and state, and the city bureau's writes of the groups' pages — open a group on a published list, add
and remove members before its review (programmes.groups and cases.groups check and log each step).

A group outside the caller's scope is 404; a role that may not manage groups is 403; a step the group's
state refuses is 409 with that state."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.accounts import scoping as accounts_scoping
from qingshen.api.error_schema import ERROR_RESPONSES
from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_groups import (
    GroupConflictSerializer,
    GroupCreateSerializer,
    GroupDetailSerializer,
    GroupSerializer,
    MemberAddSerializer,
)
from qingshen.api.writes.refusals import called, object_id
from qingshen.cases import group_selectors, groups, scoping
from qingshen.cases.group_rule import counting_stage
from qingshen.cases.models import GroupAudit
from qingshen.cases.states import State
from qingshen.core.errors import NotFound
from qingshen.programmes import groups as group_opening
from qingshen.programmes import selectors as programme_selectors
from qingshen.registry import scoping as registry_scoping

TAG = gettext_lazy("Group audits")
STATE_REFUSED = OpenApiResponse(
    GroupConflictSerializer,
    description=gettext_lazy(
        "The group's state refuses the step (code refused): its members no longer change once it has "
        "applied for review, the lead is already on the list, and so on; `state` is its case's state now."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}
MEMBER_ID = OpenApiParameter(
    "member_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=gettext_lazy("The member's id (as the detail's members list it)."),
)


class GroupFilter(django_filters.FilterSet):
    programme = WholeNumberFilter(field_name="case__programme_id", label=gettext_lazy("Programme id"))
    lead_kind = django_filters.ChoiceFilter(
        choices=GroupAudit.LeadKind.choices, label=gettext_lazy("Kind of lead")
    )
    state = django_filters.ChoiceFilter(
        field_name="case__state", choices=State.choices, label=gettext_lazy("State of the group's case")
    )

    class Meta:
        model = GroupAudit
        fields = ["programme", "lead_kind", "state"]


def _manager(user) -> None:
    if not groups.may_manage_groups(user):
        raise exceptions.PermissionDenied(_("Only the city bureau forms group audits and their members."))


def _bad(field: str, message) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


@described(
    TAG,
    gettext_lazy("Group audits in your scope (a member enterprise: the groups it belongs to)"),
    gettext_lazy("One group audit with its lead, members and documents"),
)
class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = GroupFilter

    def get_serializer_class(self):
        return GroupSerializer if self.action == "list" else GroupDetailSerializer

    def get_queryset(self):
        return group_selectors.groups_counted(self.request.user).order_by(
            "-case__programme__year", "name", "pk"
        )

    def _detailed(self, group: GroupAudit) -> GroupAudit:
        """What the group's page shows beside the group, as the caller may see it."""
        user = self.request.user
        group.members_seen = list(group_selectors.members_of(group))
        group.documents_seen = list(
            scoping.documents_visible(user).filter(case_id=group.case_id).order_by("-pk")
        )
        group.members_editable = (
            groups.may_manage_groups(user) and group.case.state in groups.MEMBERS_EDITABLE
        )
        group.counted_at = counting_stage()
        return group

    def _context(self, group) -> dict:
        member_cases = [m.case_id for m in group.members_seen if m.case_id]
        seen = set(
            scoping.cases_visible(self.request.user).filter(pk__in=member_cases).values_list("pk", flat=True)
        )
        return {"request": self.request, "cases_seen": seen}

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        group = self._detailed(self.get_queryset().get(pk=pk))
        return Response(GroupDetailSerializer(group, context=self._context(group)).data, status=code)

    def retrieve(self, request, pk=None):
        return self._answer(self.get_object().pk)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Open a group audit on a published list: its lead listed with a group case"),
        description=gettext_lazy(
            "For the city bureau, as on the programme's group page. The lead (a park management committee, "
            "an industry association or a cluster's lead) must be in the city's registry and not on the list."
        ),
        request=GroupCreateSerializer,
        responses={201: GroupDetailSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        user = request.user
        _manager(user)
        sent = GroupCreateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        programme = programme_selectors.programme_get(user=user, pk=data["programme"])
        if programme is None or not accounts_scoping.sees_case_data(user):
            raise _bad("programme", _("No such programme."))
        lead = (
            programme_selectors.enterprises_addable(user=user, programme=programme)
            .filter(pk=data["lead"])
            .first()
        )
        if lead is None:
            raise _bad("lead", _("Choose an enterprise of the city's registry that is not on the list."))
        group = called(
            group_opening.group_open,
            role_allowed=lambda: True,
            now=lambda: {"state": "", "list_state": programme.list_state},
            programme=programme,
            lead=lead,
            lead_kind=data["lead_kind"],
            name=data["name"],
            lead_account=data["lead_account"],
            actor=user,
        )
        return self._answer(group.pk, status.HTTP_201_CREATED)

    def _state_now(self, pk: int) -> dict:
        return {
            "state": self.get_queryset().filter(pk=pk).values_list("case__state", flat=True).first() or ""
        }

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Add a member enterprise to a group before its review"),
        request=MemberAddSerializer,
        responses={201: GroupDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="members", filterset_class=None, pagination_class=None)
    def members(self, request, pk=None):
        group = self.get_object()
        user = request.user
        _manager(user)
        sent = MemberAddSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        enterprise = (
            registry_scoping.enterprises_visible(user)
            .filter(jurisdiction__path__startswith=group.case.programme.city.path)
            .filter(pk=sent.validated_data["enterprise"])
            .first()
        )
        if enterprise is None:
            raise _bad("enterprise", _("Choose an enterprise of the city's registry."))
        called(
            groups.group_member_add,
            role_allowed=lambda: True,
            now=lambda: self._state_now(group.pk),
            group_id=group.pk,
            enterprise=enterprise,
            actor=user,
        )
        return self._answer(group.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Remove a member from a group before its review (marked, never deleted)"),
        parameters=[MEMBER_ID],
        request=None,
        responses={200: GroupDetailSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"members/(?P<member_pk>[^/.]+)",
        filterset_class=None,
        pagination_class=None,
    )
    def member_remove(self, request, pk=None, member_pk=None):
        group = self.get_object()
        member_id = object_id(member_pk, _("No such member."))
        if not group.members.filter(pk=member_id, removed_at__isnull=True).exists():
            raise NotFound(_("No such member."))
        _manager(request.user)
        called(
            groups.group_member_remove,
            role_allowed=lambda: True,
            now=lambda: self._state_now(group.pk),
            member_id=member_id,
            actor=request.user,
        )
        return self._answer(group.pk)
