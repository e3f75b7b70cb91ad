"""The panel's request for revision (修改完善) through the API: the chair asks with a deadline, the
enterprise (or its agency) hands in the revised report, the chair signs it off — the same calls as the
expert's seat page and the case's revisions page (reviews.services.revisions checks and logs each).

The sign-off and the revised report are of the review's open request, as on those pages. A review
outside the caller's scope is 404; a caller who is not the panel's chair (or not the enterprise's side,
for the revised report) is 403; a step the review or its request refuses (none open, say) is 409."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, TOO_LARGE_RESPONSE
from qingshen.api.errors import Conflict, TooLarge
from qingshen.api.serializers_meetings import (
    MeetingConflictSerializer,
    RevisedReportSerializer,
    RevisionRequestSerializer,
    RevisionSerializer,
    SignOffSerializer,
)
from qingshen.api.writes.refusals import called
from qingshen.cases import scoping as cases_scoping
from qingshen.core.errors import NotFound
from qingshen.reviews import scoping
from qingshen.reviews.models import PanelSeat, RevisionRequest
from qingshen.reviews.services import revisions

TAG = gettext_lazy("Review meetings")
STATE_REFUSED = OpenApiResponse(
    MeetingConflictSerializer,
    description=gettext_lazy(
        "The review or the request refuses the step (code refused): the review is closed, a request is "
        "still open, nothing handed in yet, already signed off; `status` is the review's status now."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}


def _chairs(user, review_id: int) -> bool:
    return (
        scoping.seats_visible(user)
        .filter(panel__review_id=review_id, is_chair=True, status=PanelSeat.Status.ACCEPTED)
        .exists()
    )


def _chair_of_seen_review(user, review_id: int) -> None:
    """404 for a review out of scope, 403 for anyone there but the panel's chair."""
    _review_seen(user, review_id)
    if not _chairs(user, review_id):
        raise exceptions.PermissionDenied(
            _("Only the chair of the panel asks for revisions and signs them off.")
        )


def _review_status(user, review_id: int) -> dict:
    found = scoping.reviews_visible(user).filter(pk=review_id).values_list("status", flat=True).first()
    return {"status": found or ""}


def _review_seen(user, pk: int) -> None:
    if not scoping.reviews_visible(user).filter(pk=pk).exists():
        raise NotFound(_("No such review."))


def _open_revision(user, review_id: int) -> RevisionRequest:
    """The review's open request, as the chair's seat page and the case's revisions page take it."""
    revision = (
        RevisionRequest.objects.filter(review_id=review_id, signed_off_at__isnull=True)
        .select_related("review__case")
        .order_by("-pk")
        .first()
    )
    if revision is None:
        raise Conflict(
            _("No request for revision is open."), code="refused", extra=_review_status(user, review_id)
        )
    return revision


class ReviewRevisionView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("The chair asks the enterprise to revise its report (修改完善)"),
        description=gettext_lazy(
            "For the panel's chair (an accepted seat). The conclusion waits until the request is signed off."
        ),
        request=RevisionRequestSerializer,
        responses={201: RevisionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        user = request.user
        _chair_of_seen_review(user, pk)
        sent = RevisionRequestSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        revision = called(
            revisions.revision_request,
            role_allowed=lambda: True,
            now=lambda: _review_status(user, pk),
            review_id=pk,
            actor=user,
            items=sent.validated_data["items"],
            due_on=sent.validated_data["due_on"],
        )
        return Response(RevisionSerializer(revision).data, status=status.HTTP_201_CREATED)


class RevisionSignOffView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("The chair signs off the revised report of the open request"),
        request=SignOffSerializer,
        responses={200: RevisionSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        user = request.user
        _chair_of_seen_review(user, pk)
        sent = SignOffSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        revision = called(
            revisions.revision_sign_off,
            role_allowed=lambda: True,
            now=lambda: _review_status(user, pk),
            revision_id=_open_revision(user, pk).pk,
            actor=user,
            note=sent.validated_data["note"],
        )
        return Response(RevisionSerializer(revision).data)


class RevisedReportView(APIView):
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Hand in the revised report for an open request (a new audit report version)"),
        description=gettext_lazy("For the enterprise or its delegated agency, while the request is open."),
        request={"multipart/form-data": RevisedReportSerializer},
        responses={200: RevisionSerializer, 413: TOO_LARGE_RESPONSE, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        user = request.user
        review = scoping.reviews_visible(user).select_related("case").filter(pk=pk).first()
        if review is None:
            raise NotFound(_("No such review."))
        if not cases_scoping.may_edit_case_materials(user, review.case):
            raise exceptions.PermissionDenied(
                _("Only the enterprise or its agency hands in the revised report.")
            )
        sent = RevisedReportSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        upload = sent.validated_data["file"]
        if upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            raise TooLarge(
                _("The file is larger than the limit of %(limit)s.")
                % {"limit": filesizeformat(settings.QINGSHEN_UPLOAD_MAX_BYTES)}
            )
        revision = called(
            revisions.revision_submit,
            role_allowed=lambda: True,
            now=lambda: _review_status(user, pk),
            revision_id=_open_revision(user, pk).pk,
            actor=user,
            upload=upload,
        )
        return Response(RevisionSerializer(revision).data)
