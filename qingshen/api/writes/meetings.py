"""Review meetings (集中评估/验收) through the API: the meetings in your scope with their applications,
dates, revision requests and public notice, and the organiser's writes of the meeting's page — create a
meeting, set an application's dates, draw the panel(s), publish the batch for 公示, answer an objection
(reviews.services.meetings and .publicity check and log each step). Anyone lodges an objection during
the notice without a token (qingshen.api.writes.revisions holds the panel's revision round).

A meeting outside the caller's scope is 404; a role that may not organise it is 403; a step the
meeting's status refuses is 409 with that status."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.accounts.lockout import address_key
from qingshen.api.error_schema import ERROR_RESPONSES
from qingshen.api.reads.base import described
from qingshen.api.serializers_meetings import (
    AnswerSerializer,
    MeetingConflictSerializer,
    MeetingCreateSerializer,
    MeetingDatesSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    ObjectionLodgedSerializer,
    ObjectionLodgeSerializer,
    ObjectionSerializer,
)
from qingshen.api.writes.refusals import called, object_id
from qingshen.core.errors import NotFound
from qingshen.reviews import scoping, selectors
from qingshen.reviews.models import ReviewKind, ReviewMeeting
from qingshen.reviews.services import meetings, publicity
from qingshen.trail.middleware import client_ip_of

TAG = gettext_lazy("Review meetings")
STATE_REFUSED = OpenApiResponse(
    MeetingConflictSerializer,
    description=gettext_lazy(
        "The meeting's status refuses the step (code refused): its results are published, its panel is "
        "drawn, a conclusion is still open, and so on; `status` is the meeting's status now."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}
OBJECTION_ID = OpenApiParameter(
    "objection_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("The objection's id.")
)
REVIEW_ID = OpenApiParameter(
    "review_pk",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description=gettext_lazy("The application's review id."),
)


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ReviewKind.choices, label=gettext_lazy("Kind"))
    status = django_filters.ChoiceFilter(choices=ReviewMeeting.Status.choices, label=gettext_lazy("Status"))

    class Meta:
        model = ReviewMeeting
        fields = ["kind", "status"]


def _status(meeting_id: int) -> dict:
    return {
        "status": ReviewMeeting.objects.filter(pk=meeting_id).values_list("status", flat=True).first() or ""
    }


@described(
    TAG,
    gettext_lazy("Review meetings in your scope (an expert: the meetings where it holds a seat)"),
    gettext_lazy("One meeting with its applications, dates, revision requests and objections"),
)
class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = MeetingFilter

    def get_serializer_class(self):
        return MeetingSerializer if self.action == "list" else MeetingDetailSerializer

    def get_queryset(self):
        return (
            scoping.meetings_visible(self.request.user)
            .select_related("organiser")
            .order_by("-held_on", "-pk")
        )

    def _answer(self, pk: int, code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        meeting = self.get_queryset().get(pk=pk)
        organiser = scoping.may_organise_meeting(user, meeting)
        meeting.rows_seen = selectors.meeting_rows(meeting, user=None if organiser else user)
        meeting.objections_seen = list(meeting.objections.order_by("pk")) if organiser else []
        meeting.organiser_may_act = organiser
        return Response(MeetingDetailSerializer(meeting).data, status=code)

    def _organised(self, pk) -> ReviewMeeting:
        meeting = self.get_object()
        if not scoping.may_organise_meeting(self.request.user, meeting):
            raise exceptions.PermissionDenied(_("Only the bureau that organises this meeting may do this."))
        return meeting

    def retrieve(self, request, pk=None):
        publicity.meeting_finalise(
            meeting_id=self.get_object().pk
        )  # final once its notice ended, as the page
        return self._answer(int(pk))

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Organise a meeting gathering accepted applications on one date and place"),
        description=gettext_lazy(
            "For city or district bureau staff. One panel for every application (shared) or one per "
            "application (per_case)."
        ),
        request=MeetingCreateSerializer,
        responses={201: MeetingDetailSerializer, **WRITE_ERRORS},
    )
    def create(self, request):
        user = request.user
        if not scoping.may_create_meeting(user):
            raise exceptions.PermissionDenied(_("Only a city or district bureau organises review meetings."))
        sent = MeetingCreateSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        ids = sorted(set(data["reviews"]))
        if scoping.reviews_visible(user).filter(pk__in=ids).count() != len(ids):
            raise serializers.ValidationError({"reviews": [_("Choose applications in your scope.")]})
        meeting = called(
            meetings.meeting_create,
            role_allowed=lambda: True,
            now=lambda: {"status": ""},
            actor=user,
            kind=data["kind"],
            held_on=data["held_on"],
            place=data["place"],
            panel_mode=data["panel_mode"],
            review_ids=ids,
        )
        return self._answer(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Set one application's site-visit and meeting dates"),
        parameters=[REVIEW_ID],
        request=MeetingDatesSerializer,
        responses={200: MeetingDetailSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"cases/(?P<review_pk>[^/.]+)/dates",
        filterset_class=None,
        pagination_class=None,
    )
    def dates(self, request, pk=None, review_pk=None):
        meeting = self._organised(pk)
        review_id = object_id(review_pk, _("No such application in this meeting."))
        if not meeting.cases.filter(review_id=review_id).exists():
            raise NotFound(_("No such application in this meeting."))
        sent = MeetingDatesSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        d = sent.validated_data
        if d["site_visit_on"] and d["meeting_on"] and d["site_visit_on"] > d["meeting_on"]:
            raise serializers.ValidationError(
                {"site_visit_on": [_("The site visit comes before the meeting.")]}
            )
        called(
            meetings.meeting_case_dates,
            role_allowed=lambda: True,
            now=lambda: _status(meeting.pk),
            meeting_id=meeting.pk,
            review_id=review_id,
            actor=request.user,
            site_visit_on=d["site_visit_on"],
            meeting_on=d["meeting_on"],
        )
        return self._answer(meeting.pk)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Draw the meeting's panel: one shared draw, or each application's own"),
        request=None,
        responses={200: MeetingDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def draw(self, request, pk=None):
        meeting = self._organised(pk)
        called(
            meetings.meeting_draw,
            role_allowed=lambda: True,
            now=lambda: _status(meeting.pk),
            meeting_id=meeting.pk,
            actor=request.user,
        )
        return self._answer(meeting.pk)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Publish the batch's results for public notice (公示)"),
        description=gettext_lazy(
            "Once every conclusion of the meeting is confirmed; the notice runs for the days of the rule "
            "review_publicity_days."
        ),
        request=None,
        responses={200: MeetingDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], filterset_class=None, pagination_class=None)
    def publish(self, request, pk=None):
        meeting = self._organised(pk)
        called(
            publicity.meeting_publish,
            role_allowed=lambda: True,
            now=lambda: _status(meeting.pk),
            meeting_id=meeting.pk,
            actor=request.user,
        )
        return self._answer(meeting.pk)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Answer an objection lodged during the public notice"),
        parameters=[OBJECTION_ID],
        request=AnswerSerializer,
        responses={200: ObjectionSerializer, **WRITE_ERRORS},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"objections/(?P<objection_pk>[^/.]+)/answer",
        filterset_class=None,
        pagination_class=None,
    )
    def answer(self, request, pk=None, objection_pk=None):
        meeting = self._organised(pk)
        objection_id = object_id(objection_pk, _("No such objection."))
        if not meeting.objections.filter(pk=objection_id).exists():
            raise NotFound(_("No such objection."))
        sent = AnswerSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        objection = called(
            publicity.objection_answer,
            role_allowed=lambda: True,
            now=lambda: _status(meeting.pk),
            objection_id=objection_id,
            actor=request.user,
            answer=sent.validated_data["answer"],
        )
        return Response(ObjectionSerializer(objection).data)


class ObjectionLodgeView(APIView):
    # Anyone may object during the notice, as on the public notice page: no token, counted per address.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=[gettext_lazy("Public data (no token)")],
        summary=gettext_lazy("Lodge an objection to a batch of results on public notice (公示)"),
        description=gettext_lazy(
            "No token needed. With your name and a way to contact you, to the whole batch or one result; "
            "the organiser answers each objection. Refused (409) once the notice has ended; too many from "
            "one address in an hour are refused too."
        ),
        request=ObjectionLodgeSerializer,
        responses={201: ObjectionLodgedSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        if not scoping.meetings_public().filter(pk=pk).exists():
            raise NotFound(_("No such notice."))
        sent = ObjectionLodgeSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        d = sent.validated_data
        if (
            d["review"] is not None
            and not ReviewMeeting.objects.filter(pk=pk, cases__review_id=d["review"]).exists()
        ):
            raise serializers.ValidationError({"review": [_("Choose one of the results on this notice.")]})
        objection = called(
            publicity.objection_lodge,
            role_allowed=lambda: True,
            now=lambda: _status(pk),
            meeting_id=pk,
            review_id=d["review"],
            name=d["name"],
            contact=d["contact"],
            text=d["text"],
            address_key=address_key(client_ip_of(request)),
        )
        return Response(ObjectionLodgedSerializer(objection).data, status=status.HTTP_201_CREATED)
