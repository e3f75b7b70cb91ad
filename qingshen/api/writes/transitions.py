"""`POST /api/v1/cases/{id}/transitions/`: one lifecycle step, the same service call as the case page.

The case is looked up through the caller's scope (outside it: 404). A step the case's state or the
caller's role refuses, or one sent for an older `expected_version`, is a 409 that carries the case's
state, version and the actions the caller may take now, so a script can decide what to do next.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import CONFLICT_RESPONSE, ERROR_RESPONSES, TOO_LARGE_RESPONSE
from qingshen.api.errors import Conflict, TooLarge
from qingshen.api.serializers import CaseDetailSerializer
from qingshen.cases import selectors, services
from qingshen.cases.errors import StaleVersion, TransitionRefused
from qingshen.cases.lifecycle import Action, transition_get
from qingshen.cases.states import Level
from qingshen.core.errors import NotFound

TEXT_MAX = 2000  # as the case page's fields


class TransitionInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[a.value for a in Action], help_text=gettext_lazy("The step to take.")
    )
    expected_version = serializers.IntegerField(
        min_value=0, help_text=gettext_lazy("The case's `version` as you last read it.")
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX,
        default="",
        help_text=gettext_lazy("Required by the steps that refuse, fail or withdraw."),
    )
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True, default="")
    document = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The supporting document of a withdrawal (multipart/form-data)."),
    )

    def validate_document(self, upload):
        if upload is not None and upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            raise TooLarge(_("The file is larger than the upload limit."))
        return upload


def conflict_for(request, pk: int, exc: TransitionRefused) -> Exception:
    """The refusal with the case as it is now (the step's transaction rolled back)."""
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:  # gone from the caller's scope meanwhile
        return NotFound(_("No such case."))
    return Conflict(
        exc.message,
        code="stale_version" if isinstance(exc, StaleVersion) else "transition_refused",
        extra={
            "state": case.state,
            "version": case.version,
            "allowed_actions": [t.action.value for t in services.actions_for(request.user, case)],
        },
    )


class CaseTransitionView(APIView):
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(
        tags=[gettext_lazy("Cases")],
        summary=gettext_lazy("Take a lifecycle step on a case"),
        description=gettext_lazy(
            "The same step as the case page's buttons, for a write-scope token or the session. Review "
            "steps (applications, completeness checks, conclusions) are taken on the review endpoints."
        ),
        request={
            "application/json": TransitionInputSerializer,
            "multipart/form-data": TransitionInputSerializer,
        },
        responses={
            200: CaseDetailSerializer,
            409: CONFLICT_RESPONSE,
            413: TOO_LARGE_RESPONSE,
            **ERROR_RESPONSES,
        },
    )
    def post(self, request, pk: int):
        if selectors.case_get(user=request.user, pk=pk) is None:
            raise NotFound(_("No such case."))
        sent = TransitionInputSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        transition = transition_get(data["action"])
        kwargs = {
            "case_id": pk,
            "actor": request.user,
            "action": data["action"],
            "comment": data["comment"],
            "reason": data["reason"],
            "level": data["level"],
            "expected_version": data["expected_version"],
        }
        try:
            if transition.via_review:
                raise TransitionRefused(_("This step is taken on the review pages of the case."))
            if data["document"] is not None:
                services.case_transition_with_upload(upload=data["document"], **kwargs)
            else:
                services.case_transition(**kwargs)
        except TransitionRefused as exc:
            raise conflict_for(request, pk, exc) from exc
        case = selectors.case_get(user=request.user, pk=pk)
        return Response(CaseDetailSerializer(case).data)
