"""The expert's side through the API: the answer to the invitation, the score sheet (submitted once),
and the chair's confirmation of the computed conclusion, the same service calls as the seat page
(qingshen.reviews.services.seats and .conclusion check the seat's holder, the chair and the state,
and log each step)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
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
    seat_own,
)
from qingshen.api.writes.reviews_serializers import (
    ConfirmSerializer,
    ScoreSheetInputSerializer,
    ScoreSheetSerializer,
    SeatAnswerSerializer,
)
from qingshen.reviews import scoping, scoring
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import PanelSeat, RubricItem
from qingshen.reviews.services import conclusion, seats


def _seat_status(user, pk: int):
    return scoping.seats_visible(user).filter(pk=pk).values_list("panel__review__status", flat=True).first()


class SeatAnswerView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Answer the invitation to a panel seat"),
        description=gettext_lazy(
            "For the drawn expert: accept, declaring no conflict of interest, or decline with a reason "
            "or a declared conflict (kept for later draws)."
        ),
        request=SeatAnswerSerializer,
        responses={200: SeatSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        seat_own(request.user, pk)
        sent = SeatAnswerSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        seat = called(
            seats.seat_respond,
            role_allowed=lambda: True,  # the seat is the caller's own
            status_now=lambda: _seat_status(request.user, pk),
            seat_id=pk,
            actor=request.user,
            accept=data["answer"] == "accept",
            no_conflict=data["no_conflict"],
            conflict=data["conflict"],
            reason=data["reason"],
        )
        return Response(SeatSerializer(PanelSeat.objects.select_related("expert").get(pk=seat.pk)).data)


def _points_checked(seat, points: dict, vetoes: list) -> None:
    """The sheet's numbers by the service's own rule (qingshen.reviews.scoring), as the seat page's
    form checks them: a problem is a 400 naming the item, and nothing is written."""
    rubric = seat.panel.review.rubric
    if rubric is None:
        return  # no panel drawn with a rubric: the service refuses by the review's state
    items = {str(i.pk): i for i in rubric.items.all()}
    problems = {}
    for key in sorted(set(points) - {k for k, i in items.items() if i.kind != RubricItem.Kind.VETO}):
        problems[f"points.{key}"] = [_("Not a scored item of the rubric.")]
    for key, item in items.items():
        if item.kind == RubricItem.Kind.VETO:
            continue
        raw = points.get(key, "")
        if item.kind == RubricItem.Kind.BONUS and not raw.strip():
            continue
        try:
            scoring.points_parse(raw, label=item.text, max_points=item.max_points)
        except ReviewRefused as exc:
            problems[f"points.{key}"] = [exc.message]
    vetoes_known = {k for k, i in items.items() if i.kind == RubricItem.Kind.VETO}
    if any(str(v) not in vetoes_known for v in vetoes):
        problems["vetoes"] = [_("Not a veto item of the rubric.")]
    if problems:
        raise serializers.ValidationError(problems)


class ScoreSheetView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Submit your score sheet for a panel seat"),
        description=gettext_lazy(
            "For the expert who accepted the seat; a sheet is submitted once and never changed. When "
            "every seat has its sheet the panel's result is computed."
        ),
        request=ScoreSheetInputSerializer,
        responses={201: ScoreSheetSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        seat = seat_own(request.user, pk)
        sent = ScoreSheetInputSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        _points_checked(seat, data["points"], data["vetoes"])
        score = called(
            conclusion.score_submit,
            role_allowed=lambda: True,  # the seat is the caller's own
            status_now=lambda: _seat_status(request.user, pk),
            seat_id=pk,
            actor=request.user,
            points=data["points"],
            vetoes=data["vetoes"],
            comment=data["comment"],
        )
        return Response(ScoreSheetSerializer(score).data, status=status.HTTP_201_CREATED)


class ReviewConfirmView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Confirm the panel's computed conclusion (the chair)"),
        description=gettext_lazy(
            "For the chair of the panel once every sheet is in. The conclusion is computed and cannot be "
            "changed; a passed acceptance needs the level reached. The opinion is issued as PDF and DOCX."
        ),
        request=ConfirmSerializer,
        responses={200: ReviewSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        review_visible(request.user, pk)
        sent = ConfirmSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        called(
            conclusion.review_confirm,
            role_allowed=lambda: (
                scoping.seats_visible(request.user)
                .filter(panel__review_id=pk, is_chair=True, status=PanelSeat.Status.ACCEPTED)
                .exists()
            ),
            status_now=lambda: review_status(request.user, pk),
            review_id=pk,
            actor=request.user,
            **data,
        )
        return review_answer(request.user, pk)
