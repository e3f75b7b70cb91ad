"""The panel's draw and the redraw of a declined seat through the API: the same service calls as the
application page's buttons (qingshen.reviews.services.draw checks who organises the review and its
state, stores the record that proves the draw, and logs it)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.serializers_reviews import ReviewSerializer, SeatSerializer
from qingshen.api.writes.reviews_calls import (
    TAG,
    WRITE_ERRORS,
    called,
    review_answer,
    review_status,
    review_visible,
)
from qingshen.core.errors import NotFound
from qingshen.reviews import scoping
from qingshen.reviews.models import PanelSeat
from qingshen.reviews.services import draw


class PanelDrawView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Draw the panel of an accepted application at random"),
        description=gettext_lazy(
            "For the bureau that organises the review. The draw's record is stored with the panel; "
            "anyone with the verification endpoint may recompute it."
        ),
        request=None,
        responses={201: ReviewSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        review = review_visible(request.user, pk)
        called(
            draw.panel_draw,
            role_allowed=lambda: scoping.may_organise_review(request.user, review),
            status_now=lambda: review_status(request.user, pk),
            review_id=pk,
            actor=request.user,
        )
        return review_answer(request.user, pk, status.HTTP_201_CREATED)


class SeatRedrawView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Redraw a declined seat from the same draw record"),
        request=None,
        responses={201: SeatSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int, seat_pk: int):
        review = review_visible(request.user, pk)
        if not PanelSeat.objects.filter(pk=seat_pk, panel__review=review).exists():
            raise NotFound(_("No such panel seat."))
        seat = called(
            draw.seat_redraw,
            role_allowed=lambda: scoping.may_organise_review(request.user, review),
            status_now=lambda: review_status(request.user, pk),
            seat_id=seat_pk,
            actor=request.user,
        )
        seat = PanelSeat.objects.select_related("expert").get(pk=seat.pk)
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)
