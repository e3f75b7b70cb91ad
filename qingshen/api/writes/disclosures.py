"""A case's Art. 11 disclosure through the API, as the portal's disclosure form: the enterprise (or its
delegated agency) saves the draft, uploads the proof of publication, and submits it.

The case is looked up through the caller's scope (else 404); its materials must be the caller's to edit
(else 403). The items are those of the listing's grounds (cases.disclosure_fields), each checked as the
form checks it (400 beside `content.<item>`). A submitted disclosure no longer changes (409), and the
submission is the lifecycle's `disclose` step, refused as 409 with the case's state and the actions left.
cases.disclosures and cases.services write and log.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import CONFLICT_RESPONSE, ERROR_RESPONSES, TOO_LARGE_RESPONSE, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.serializers_cases import DisclosureSerializer
from qingshen.api.writes.serializers import DocumentUploadSerializer
from qingshen.api.writes.transitions import TEXT_MAX, conflict_for
from qingshen.cases import disclosures, scoping, selectors
from qingshen.cases import services as case_services
from qingshen.cases.disclosure_fields import fields_for
from qingshen.cases.errors import TransitionRefused
from qingshen.cases.models import AuditCase, Disclosure
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS, PUBLIC_TEXT_VALIDATORS

TAG = gettext_lazy("Disclosures")
SUBMITTED = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("The disclosure is submitted and can no longer change.")
)


class DisclosureDraftSerializer(serializers.Serializer):
    content = serializers.DictField(
        child=serializers.CharField(
            allow_blank=True, max_length=disclosures.MAX_ITEM_LENGTH, trim_whitespace=False
        ),
        required=False,
        help_text=gettext_lazy(
            "The items of the listing's grounds by key (as the disclosure's `content`); an item not sent "
            "keeps its saved value."
        ),
    )
    published_where = serializers.CharField(
        required=False, allow_blank=True, max_length=300, validators=NAME_VALIDATORS
    )


class DisclosureSubmitSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX, default="")


def _content_checked(case: AuditCase, sent: dict) -> dict:
    """The sent items, each known for the listing's grounds and valid as the form's field (400 beside
    `content.<key>`, so the error's fields stay one flat map)."""
    items = {f.key: f for _section, f in fields_for(case.listing.grounds)}
    problems = {}
    for key, value in sent.items():
        item = items.get(key)
        if item is None:
            problems[f"content.{key}"] = [_("No such item for this case's grounds.")]
            continue
        for validator in PUBLIC_TEXT_VALIDATORS if item.long else NAME_VALIDATORS:
            try:
                validator(value)
            except DjangoValidationError as exc:  # as the form shows it
                problems.setdefault(f"content.{key}", []).extend(str(m) for m in exc.messages)
    if problems:
        raise exceptions.ValidationError(problems)
    return sent


def _editable_case(request, pk: int) -> tuple[AuditCase, Disclosure | None]:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None or case.listing_id is None:  # a voluntary audit has no Art. 11 disclosure
        raise NotFound(_("No such case."))
    if not scoping.may_edit_case_materials(request.user, case):
        raise exceptions.PermissionDenied(_("Only the enterprise or its agency fills in its disclosure."))
    return case, Disclosure.objects.filter(case=case).first()


def _refused_submitted(disclosure: Disclosure | None) -> None:
    if disclosure is not None and disclosure.status == Disclosure.Status.SUBMITTED:
        raise Conflict(
            _("The disclosure is submitted and published; it can no longer be changed."),
            code="refused",
        )


def _saved(request, case, disclosure, content, published_where, proof=None) -> Response:
    try:
        saved = disclosures.disclosure_save(
            case=case,
            actor=request.user,
            content=content,
            published_where=published_where,
            proof_upload=proof,
        )
    except TransitionRefused as exc:  # submitted meanwhile
        raise Conflict(exc.message, code="refused") from exc
    return Response(DisclosureSerializer(saved).data)


class DisclosureDraftView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Save the disclosure draft of a case"),
        description=gettext_lazy(
            "As the portal's disclosure form's “Save”: the items sent replace the saved ones, the others "
            "are kept. Submitting is a separate call."
        ),
        request=DisclosureDraftSerializer,
        responses={200: DisclosureSerializer, 409: SUBMITTED, **ERROR_RESPONSES},
    )
    def patch(self, request, pk: int):
        case, disclosure = _editable_case(request, pk)
        sent = DisclosureDraftSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        _refused_submitted(disclosure)
        content = dict(disclosure.content) if disclosure else {}
        content.update(_content_checked(case, sent.validated_data.get("content", {})))
        where = sent.validated_data.get("published_where", disclosure.published_where if disclosure else "")
        return _saved(request, case, disclosure, content, where)


class DisclosureProofView(APIView):
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Upload the proof of publication of a disclosure draft"),
        description=gettext_lazy(
            "A screenshot, scan or PDF of the publication, with the documents page's checks; `kind` must "
            "be disclosure_proof. The draft's items are kept."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={
            200: DisclosureSerializer,
            409: SUBMITTED,
            413: TOO_LARGE_RESPONSE,
            **ERROR_RESPONSES,
        },
    )
    def post(self, request, pk: int):
        case, disclosure = _editable_case(request, pk)
        sent = DocumentUploadSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        if sent.validated_data["kind"] != "disclosure_proof":
            raise exceptions.ValidationError(
                {"kind": [_("The proof of publication is of kind disclosure_proof.")]}
            )
        _refused_submitted(disclosure)
        content = dict(disclosure.content) if disclosure else {}
        where = disclosure.published_where if disclosure else ""
        return _saved(request, case, disclosure, content, where, proof=sent.validated_data["file"])


class DisclosureSubmitView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Submit and publish the disclosure of a case"),
        description=gettext_lazy(
            "The lifecycle's `disclose` step, as the form's “Submit”: the draft must be complete and have "
            "its proof of publication; then it is public and no longer changes."
        ),
        request=DisclosureSubmitSerializer,
        responses={200: DisclosureSerializer, 409: CONFLICT_RESPONSE, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        case, _disclosure = _editable_case(request, pk)
        sent = DisclosureSubmitSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        try:
            case_services.disclosure_submit(
                case_id=case.pk, actor=request.user, comment=sent.validated_data["comment"]
            )
        except TransitionRefused as exc:
            raise conflict_for(request, pk, exc) from exc
        return Response(DisclosureSerializer(Disclosure.objects.get(case=case)).data)
