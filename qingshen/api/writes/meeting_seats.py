"""The expert's answer to a meeting's seat notice through the API, as the expert portal's meeting page:
every seat of the meeting it is invited to, accepted at once with its declaration of no conflict of
interest (reviews.services.meetings.meeting_seats_accept, each seat's answer recorded and logged as
reviews.services.seats records one). A single seat is answered at /api/v1/seats/{id}/answer/.

A meeting the caller holds no seat in is not found (404); staff who see the meeting hold no seats (403);
no seat awaiting an answer is a 409 with the meeting's status."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.serializers_reviews import SeatSerializer
from qingshen.api.writes.reviews_calls import TAG, WRITE_ERRORS, called
from qingshen.core.errors import NotFound
from qingshen.reviews import scoping, selectors
from qingshen.reviews.services import meetings


class AcceptAllSerializer(serializers.Serializer):
    no_conflict = serializers.BooleanField(
        help_text=gettext_lazy(
            "Must be true: you declare that you have no conflict of interest with any enterprise of the "
            "meeting. To decline a seat, answer it on its own."
        )
    )

    def validate_no_conflict(self, value):
        if not value:
            raise serializers.ValidationError(
                _("Declare that you have no conflict of interest to accept your seats.")
            )
        return value


class MeetingSeatsAcceptView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Accept every seat of a review meeting you are invited to"),
        description=gettext_lazy(
            "For the drawn expert, as the seat notice of the expert portal's meeting page: each invited "
            "seat is accepted with the declaration of no conflict of interest. The seats are answered."
        ),
        request=AcceptAllSerializer,
        responses={200: SeatSerializer(many=True), **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        meeting = scoping.meetings_visible(request.user).filter(pk=pk).first()
        if meeting is None:
            raise NotFound(_("No such meeting."))
        if not scoping.sits_on_panels(request.user):
            raise exceptions.PermissionDenied(_("Only the experts drawn for the meeting answer its seats."))
        sent = AcceptAllSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        called(
            meetings.meeting_seats_accept,
            role_allowed=lambda: True,  # the seats are the caller's own
            status_now=lambda: (
                scoping.meetings_visible(request.user).filter(pk=pk).values_list("status", flat=True).first()
            ),
            meeting_id=pk,
            actor=request.user,
            no_conflict=True,
        )
        seats = selectors.seats_in_meeting(user=request.user, meeting=meeting).select_related("expert")
        return Response(SeatSerializer(seats, many=True).data)
