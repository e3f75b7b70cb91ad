"""A case's annual disclosure (部令第24号 第十四条) through the API, as the portal's annual disclosure page:
the enterprise (or its delegated agency) saves a year's draft and submits it, which publishes it.

The case is looked up through the caller's scope (else 404), a year it does not disclose is not found
either; its materials must be the caller's to edit (else 403). Each item is checked as the service checks
it (400 beside `content.<item>`, nothing written); a submitted year no longer changes (409 with its
status). cases.annual_disclosures writes and logs.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.reads.annual import RELATED, AnnualSerializer
from qingshen.cases import annual_disclosures as annual
from qingshen.cases import scoping, selectors
from qingshen.cases.models import AnnualDisclosure, AuditCase
from qingshen.core.errors import NotFound, Refused
from qingshen.core.text import problem

TAG = gettext_lazy("Disclosures")
YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("The year disclosed.")
)


class AnnualConflictSerializer(ErrorSerializer):
    status = serializers.CharField(help_text=gettext_lazy("The status of the year's disclosure now."))


SUBMITTED = OpenApiResponse(
    AnnualConflictSerializer,
    description=gettext_lazy(
        "The year's disclosure is submitted and public and can no longer change; `status` says so."
    ),
)
KEYS = [key for key, _label in annual.ITEMS]


class AnnualDraftSerializer(serializers.Serializer):
    content = serializers.DictField(
        child=serializers.CharField(
            allow_blank=True, max_length=annual.MAX_ITEM_LENGTH, trim_whitespace=False
        ),
        required=False,
        help_text=gettext_lazy(
            "The items of Art. 14 by key (reason, progress, evaluation, acceptance); an item not sent "
            "keeps its saved text, or the text prefilled from the case when nothing is saved yet."
        ),
    )


def _content_checked(sent: dict, *, submit: bool, base: dict) -> dict:
    """The saved (or prefilled) text with the sent items over it, each item as the service will take it
    (400 beside `content.<key>`, so the error's fields stay one flat map)."""
    problems = {}
    for key in sent:
        if key not in KEYS:
            problems[f"content.{key}"] = [_("No such item of the annual disclosure.")]
    content = {**base, **{k: v for k, v in sent.items() if k in KEYS}}
    for key, label in annual.ITEMS:
        value = str(content.get(key, "") or "").strip()
        wrong = problem(value, multiline=True, bidi=True)
        if wrong:
            problems.setdefault(f"content.{key}", []).append(wrong)
        elif submit and not value:
            problems.setdefault(f"content.{key}", []).append(
                _("Fill in “%(item)s” before submitting.") % {"item": label}
            )
    if problems:
        raise exceptions.ValidationError(problems)
    return content


def _year_of(request, pk: int, year: int | None) -> tuple[AuditCase, AnnualDisclosure | None]:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None or case.listing_id is None:  # a voluntary audit has no listing to disclose
        raise NotFound(_("No such case."))
    if year is None or year not in annual.disclosure_years(case):
        raise NotFound(_("The case has no annual disclosure for that year."))
    if not scoping.may_edit_case_materials(request.user, case):
        raise exceptions.PermissionDenied(
            _("Only the enterprise or its agency fills in its annual disclosure.")
        )
    return case, AnnualDisclosure.objects.filter(case=case, year=year).first()


def _refused_submitted(record: AnnualDisclosure | None) -> None:
    if record is not None and record.status == AnnualDisclosure.Status.SUBMITTED:
        raise Conflict(
            _("The disclosure of this year is submitted and published; it can no longer be changed."),
            code="refused",
            extra={"status": record.status},
        )


def _year_number(raw: str) -> int | None:
    """The year of the address as a number (any text there reaches the view: none is a year then)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None


def _saved(request, pk: int, raw_year: str, *, submit: bool) -> Response:
    year = _year_number(raw_year)
    case, record = _year_of(request, pk, year)
    sent = AnnualDraftSerializer(data=request.data)
    sent.is_valid(raise_exception=True)
    _refused_submitted(record)
    base = dict(record.content) if record else annual.annual_prefill(case, year)
    content = _content_checked(sent.validated_data.get("content", {}), submit=submit, base=base)
    try:
        saved = annual.annual_disclosure_save(
            case=case, year=year, actor=request.user, content=content, submit=submit
        )
    except NotFound:
        raise
    except Refused as exc:  # submitted meanwhile
        now = AnnualDisclosure.objects.filter(case=case, year=year).values_list("status", flat=True).first()
        raise Conflict(exc.message, code="refused", extra={"status": now}) from exc
    return Response(AnnualSerializer(AnnualDisclosure.objects.select_related(*RELATED).get(pk=saved.pk)).data)


class AnnualDraftView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Save the draft of a year's annual disclosure (部令第24号 Art. 14)"),
        description=gettext_lazy(
            "As the portal's annual disclosure page's “Save”: the items sent replace the saved ones, the "
            "others are kept (the first save starts from the text prefilled from the case). Submitting "
            "is a separate call."
        ),
        parameters=[YEAR],
        request=AnnualDraftSerializer,
        responses={200: AnnualSerializer, 409: SUBMITTED, **ERROR_RESPONSES},
    )
    def patch(self, request, pk: int, year: str):
        return _saved(request, pk, year, submit=False)


class AnnualSubmitView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Submit and publish a year's annual disclosure (部令第24号 Art. 14)"),
        description=gettext_lazy(
            "As the page's “Submit”: the items sent are saved first; every item must then be filled. "
            "The year is then on the public site and no longer changes."
        ),
        parameters=[YEAR],
        request=AnnualDraftSerializer,
        responses={200: AnnualSerializer, 409: SUBMITTED, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int, year: str):
        return _saved(request, pk, year, submit=True)
