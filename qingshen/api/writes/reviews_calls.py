"""How the review write endpoints call a service: the service decides (scope, role, state) and its
refusal is classified for the answer. Out of scope (ReviewNotFound, CaseNotFound) is a 404 as raised;
a refusal the caller's role explains is a 403; any other refusal is the review's state refusing the
step, a 409 with the review's status now (the service's transaction rolled back)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.response import Response

from qingshen.api.error_schema import ERROR_RESPONSES
from qingshen.api.errors import Conflict
from qingshen.api.serializers_reviews import ReviewSerializer
from qingshen.api.writes.reviews_serializers import ReviewConflictSerializer
from qingshen.core.errors import NotFound, Refused
from qingshen.reviews import scoping

TAG = gettext_lazy("Reviews")
STATE_REFUSED = OpenApiResponse(
    ReviewConflictSerializer,
    description=gettext_lazy(
        "The review's state refuses the step (code refused): already checked, already drawn, not every "
        "sheet in, and so on; `status` is the review's status now."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}


def called(fn, *, role_allowed, status_now, **kwargs):
    """`fn(**kwargs)`; a refusal is a 403 when `role_allowed()` is false, else a 409 with `status_now()`."""
    try:
        return fn(**kwargs)
    except NotFound:
        raise
    except Refused as exc:
        if not role_allowed():
            raise exceptions.PermissionDenied(exc.message) from exc
        raise Conflict(exc.message, code="refused", extra={"status": status_now()}) from exc


def review_status(user, review_id: int):
    """The review's status as the caller sees it now (None when it left the caller's scope)."""
    return scoping.reviews_visible(user).filter(pk=review_id).values_list("status", flat=True).first()


def review_visible(user, pk: int):
    review = scoping.reviews_visible(user).select_related("case").filter(pk=pk).first()
    if review is None:
        raise NotFound(_("No such review."))
    return review


def seat_own(user, pk: int):
    """The caller's own panel seat (an expert's; nobody else's: 404)."""
    seat = scoping.seats_visible(user).select_related("panel__review__rubric").filter(pk=pk).first()
    if seat is None:
        raise NotFound(_("No such panel seat."))
    return seat


def review_answer(user, pk: int, code: int = 200) -> Response:
    """The review as the read endpoint shows it, with its panel and seats."""
    review = scoping.reviews_visible(user).select_related("panel").get(pk=pk)
    return Response(ReviewSerializer(review).data, status=code)
