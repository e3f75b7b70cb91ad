"""Voluntary audits (自愿审核) through the API: an enterprise on no list registers its own audit round
(programmes.voluntary, as the portal's registration page), the bureaus read the voluntary cases in their
scope with their registration and acknowledgement, and the bureau of the enterprise's jurisdiction
acknowledges a registration (cases.acknowledgements). Each service checks and logs the step.

A case outside the caller's scope is 404; a role that may not take the step is 403; a step the case
refuses (already acknowledged; a list's enterprise or one with an audit in progress registering) is 409."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers import CaseSerializer
from qingshen.api.writes.refusals import called
from qingshen.cases import acknowledgements, scoping
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase
from qingshen.cases.states import State
from qingshen.programmes.voluntary import voluntary_register

TAG = gettext_lazy("Voluntary audits")


class VoluntaryCaseSerializer(CaseSerializer):
    registered_on = serializers.DateField(source="published_on", read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "registered_on", "acknowledged_on"]


class VoluntaryConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text=gettext_lazy("The case's state now (empty when none yet)."))


STATE_REFUSED = OpenApiResponse(
    VoluntaryConflictSerializer,
    description=gettext_lazy(
        "Refused as things stand (code refused): the registration is already acknowledged, the city has "
        "no programme this year, the enterprise is on this year's list or has an audit in progress."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}


class VoluntaryFilter(django_filters.FilterSet):
    programme = WholeNumberFilter(field_name="programme_id", label=gettext_lazy("Programme id"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=gettext_lazy("State"))
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_on", lookup_expr="isnull", exclude=True, label=gettext_lazy("Acknowledged")
    )

    class Meta:
        model = AuditCase
        fields = ["programme", "state", "acknowledged"]


@described(
    TAG,
    gettext_lazy("Voluntary audits in your scope, with their registration and acknowledgement"),
    gettext_lazy("One voluntary audit"),
)
class VoluntaryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VoluntaryCaseSerializer
    filterset_class = VoluntaryFilter

    def get_queryset(self):
        return (
            scoping.cases_visible(self.request.user)
            .filter(kind=CaseKind.VOLUNTARY)
            .select_related("enterprise")
            .order_by("-published_on", "-pk")
        )

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        return Response(VoluntaryCaseSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Register your enterprise's voluntary audit (自愿审核)"),
        description=gettext_lazy(
            "For an enterprise's own account, on no list this year: the round opens in its city's programme "
            "of the year, already auditing, and the bureau is told. Nothing to send."
        ),
        request=None,
        responses={201: VoluntaryCaseSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        user = request.user
        if not scoping.may_register_voluntary(user):
            raise exceptions.PermissionDenied(
                _("Only an enterprise's own account registers a voluntary audit.")
            )
        case = called(voluntary_register, role_allowed=lambda: True, now=lambda: {"state": ""}, actor=user)
        return self._answer(case.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Acknowledge a voluntary audit's registration (optional, once)"),
        description=gettext_lazy("For the city or district bureau over the enterprise."),
        request=None,
        responses={200: VoluntaryCaseSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def acknowledgement(self, request, pk=None):
        case = self.get_object()
        if not scoping.may_acknowledge(request.user, case):
            raise exceptions.PermissionDenied(
                _("Only the bureau over the enterprise acknowledges its registration.")
            )
        called(
            acknowledgements.case_acknowledge,
            role_allowed=lambda: True,
            now=lambda: {"state": case.state},
            case_id=case.pk,
            actor=request.user,
        )
        return self._answer(case.pk)
