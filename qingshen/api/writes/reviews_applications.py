"""Applications for evaluation or acceptance and their completeness check through the API: the same
service calls as the apply page and the application's page (qingshen.reviews.services.applications,
which checks the scope, the role and the state, and logs the step)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers
from rest_framework.views import APIView

from qingshen.api.error_schema import TOO_LARGE_RESPONSE
from qingshen.api.serializers_reviews import ReviewSerializer
from qingshen.api.writes.reviews_calls import (
    TAG,
    WRITE_ERRORS,
    called,
    review_answer,
    review_status,
    review_visible,
)
from qingshen.api.writes.reviews_serializers import ApplicationSerializer, CheckSerializer
from qingshen.cases import scoping as cases_scoping
from qingshen.cases import selectors as case_selectors
from qingshen.core.errors import NotFound
from qingshen.reviews import scoping, selectors
from qingshen.reviews.services import applications


def _unknown(codes, kind: str) -> list[str]:
    known = {i.code for i in selectors.checklist_for(kind)}
    return sorted(set(codes) - known)


class ReviewApplyView(APIView):
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, parsers.JSONParser]

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Apply for evaluation or acceptance with the checklist's materials"),
        description=gettext_lazy(
            "For the enterprise or its agency. Each checklist item gets a new file or a current document "
            "the case already holds; the case moves to “applied” and the bureau checks the application."
        ),
        request={
            "multipart/form-data": ApplicationSerializer,
            "application/json": ApplicationSerializer,
        },
        responses={201: ReviewSerializer, 413: TOO_LARGE_RESPONSE, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        case = case_selectors.case_get(user=request.user, pk=pk)
        if case is None:
            raise NotFound(_("No such case."))
        sent = ApplicationSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        problems = {
            name: [_("Unknown checklist items: %(codes)s.") % {"codes": "、".join(unknown)}]
            for name in ("materials", "existing")
            if (unknown := _unknown(data[name], data["kind"]))
        }
        if problems:
            raise serializers.ValidationError(problems)
        review = called(
            applications.review_apply,
            role_allowed=lambda: cases_scoping.may_apply_for_review(request.user, case),
            status_now=lambda: case_selectors.case_get(user=request.user, pk=pk).state,
            case_id=case.pk,
            actor=request.user,
            kind=data["kind"],
            materials=data["materials"],
            existing=data["existing"],
        )
        return review_answer(request.user, review.pk, 201)


class ReviewCheckView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Check an application's completeness: accept or refuse it"),
        description=gettext_lazy(
            "For the bureau that organises the review. Refusing names the missing items or gives a "
            "reason; refusing a complete application needs `override_reason`."
        ),
        request=CheckSerializer,
        responses={200: ReviewSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        review = review_visible(request.user, pk)
        sent = CheckSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        if unknown := _unknown(data["missing"], review.kind):
            raise serializers.ValidationError(
                {"missing": [_("Unknown checklist items: %(codes)s.") % {"codes": "、".join(unknown)}]}
            )
        called(
            applications.review_check,
            role_allowed=lambda: scoping.may_organise_review(request.user, review),
            status_now=lambda: review_status(request.user, pk),
            review_id=pk,
            actor=request.user,
            accept=data["decision"] == "accept",
            missing=data["missing"],
            reason=data["reason"],
            override_reason=data["override_reason"],
        )
        return review_answer(request.user, pk)
