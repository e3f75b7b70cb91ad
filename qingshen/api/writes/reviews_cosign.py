"""The consulted department's co-signature through the API, as the review page's button
(reviews.services.cosign checks the department, the organising bureau and the review's status, and
logs it): on a case listed on energy use and another ground, where the city's setting asks the
energy-saving authority to co-sign, the chair confirms only after it.

Out of scope: 404. Not the consulted department's staff at the organising bureau: 403. The review's
state refusing (already co-signed, not accepted yet or concluded, no co-signature asked): 409."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from qingshen.api.errors import Conflict
from qingshen.api.serializers_reviews import ReviewSerializer
from qingshen.api.writes.reviews_calls import (
    TAG,
    WRITE_ERRORS,
    called,
    review_answer,
    review_status,
    review_visible,
)
from qingshen.cases import scoping as case_scoping
from qingshen.core.text import PUBLIC_TEXT_VALIDATORS
from qingshen.reviews import scoping
from qingshen.reviews.services import cosign


class CosignSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=cosign.COMMENT_MAX,
        validators=PUBLIC_TEXT_VALIDATORS,
        help_text=gettext_lazy("Comment of the energy-saving authority"),
    )


class ReviewCosignView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Co-sign a review as the consulted energy-saving authority"),
        description=gettext_lazy(
            "For the energy-saving authority's staff at the bureau that organises the case's reviews, when "
            "the city's setting asks it to co-sign reviews of cases listed on energy use and another "
            "ground: once, after the application is accepted and before the chair confirms. The review's "
            "`cosign` shows whether it is required and given."
        ),
        request=CosignSerializer,
        responses={200: ReviewSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        review = review_visible(request.user, pk)
        sent = CosignSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        consulted = case_scoping.is_consulted_on(request.user, review.case)
        if not case_scoping.consultation_cosigns(review.case):
            if not consulted:
                raise exceptions.PermissionDenied(
                    _("Only the energy-saving authority consulted on this case co-signs its review.")
                )
            raise Conflict(
                _("The city asks for no co-signature on the reviews of this case."),
                code="refused",
                extra={"status": review.status},
            )
        called(
            cosign.review_cosign,
            role_allowed=lambda: scoping.may_cosign_review(request.user, review),
            status_now=lambda: review_status(request.user, pk),
            review_id=pk,
            actor=request.user,
            comment=sent.validated_data["comment"],
        )
        return review_answer(request.user, pk)
