"""Programmes and their milestones through the API: created by the city's own staff, edited while the
list is a draft, with the rules of the set-up pages (programmes.services checks them again).

A programme outside the caller's scope is 404; one the caller sees but may not manage is 403; one whose
list has left the draft is 409 with its list state. The services log every change.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api import views
from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.serializers import MilestoneSerializer, ProgrammeSerializer
from qingshen.api.writes.serializers import MilestoneWriteSerializer, ProgrammeWriteSerializer
from qingshen.core.errors import NotFound
from qingshen.programmes import scoping, services
from qingshen.programmes.models import Programme

TAG = gettext_lazy("Programmes")
NOT_DRAFT = OpenApiResponse(ErrorSerializer, description=gettext_lazy("The list has left the draft."))
WRITE_ERRORS = {**ERROR_RESPONSES, 409: NOT_DRAFT}


def _editable(request, programme: Programme) -> Programme:
    if not scoping.may_manage_programme(request.user, programme):
        raise exceptions.PermissionDenied(_("You may not edit this programme."))
    if not scoping.may_edit_programme(request.user, programme):
        raise Conflict(
            _("The list has left the draft: the programme can no longer be edited."),
            code="refused",
            extra={"list_state": programme.list_state},
        )
    return programme


def _merged(serializer_class, instance, data, fields):
    """The sent fields over the stored ones (a PATCH changes only what it sends)."""
    sent = serializer_class(data=data, partial=True)
    sent.is_valid(raise_exception=True)
    return {name: sent.validated_data.get(name, getattr(instance, name)) for name in fields}


class ProgrammeViewSet(views.ProgrammeViewSet):
    """The read endpoints with the set-up writes beside them."""

    def _answer(self, pk, code=status.HTTP_200_OK):
        return Response(ProgrammeSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Set up a year's programme of your city"),
        request=ProgrammeWriteSerializer,
        responses={201: ProgrammeSerializer, **ERROR_RESPONSES},
    )
    def create(self, request):
        city = request.user.jurisdiction if request.user.jurisdiction_id else None
        if not scoping.may_create_programme(request.user, city):
            raise exceptions.PermissionDenied(_("Only the city bureau's staff set up its programmes."))
        sent = ProgrammeWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        programme = services.programme_create(city=city, actor=request.user, **sent.validated_data)
        return self._answer(programme.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Edit a draft programme"),
        request=ProgrammeWriteSerializer,
        responses={200: ProgrammeSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, pk=None):
        programme = _editable(request, self.get_object())
        data = _merged(ProgrammeWriteSerializer, programme, request.data, services.PROGRAMME_FIELDS)
        services.programme_update(programme=programme, actor=request.user, **data)
        return self._answer(programme.pk)


def _programme(request, pk: int) -> Programme:
    programme = scoping.programmes_visible(request.user).filter(pk=pk).first()
    if programme is None:
        raise NotFound(_("No such programme."))
    return programme


class MilestoneListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Add a milestone to a draft programme"),
        request=MilestoneWriteSerializer,
        responses={201: MilestoneSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        programme = _editable(request, _programme(request, pk))
        sent = MilestoneWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        milestone = services.milestone_add(programme=programme, actor=request.user, **sent.validated_data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneDetailView(APIView):
    def _milestone(self, request, pk: int, milestone_pk: int):
        """The milestone of a programme the caller sees (else 404), if the caller may edit it now."""
        programme = _programme(request, pk)
        milestone = programme.milestones.filter(pk=milestone_pk).first()
        if milestone is None:
            raise NotFound(_("No such milestone."))
        _editable(request, programme)
        return milestone

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Change a milestone of a draft programme"),
        request=MilestoneWriteSerializer,
        responses={200: MilestoneSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int, milestone_pk: int):
        milestone = self._milestone(request, pk, milestone_pk)
        data = _merged(MilestoneWriteSerializer, milestone, request.data, services.MILESTONE_FIELDS)
        milestone = services.milestone_update(milestone=milestone, actor=request.user, **data)
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Remove a milestone of a draft programme"),
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request, pk: int, milestone_pk: int):
        services.milestone_remove(milestone=self._milestone(request, pk, milestone_pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
