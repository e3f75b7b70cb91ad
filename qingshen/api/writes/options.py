"""A case's cleaner-production options and their benefits through the API, as the portal's options page.

`POST /api/v1/cases/{id}/options/` adds an option, `PATCH /api/v1/options/{id}/` changes one (only
what it sends; the benefits sent replace those of their indicators, the others are kept). The case must
be in the caller's scope (else 404) and its materials the caller's to edit (else 403). The rules of
cases.options (dates, statuses, no negative figure, no reduction beyond the baseline) refuse as 400
beside their field (`benefits.<indicator code>` for a benefit); cases.options writes and logs.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.reads.cases import OptionViewSet
from qingshen.api.serializers_cases import OptionSerializer
from qingshen.cases import options as option_services
from qingshen.cases import scoping, selectors
from qingshen.cases.models import AuditCase, Indicator, Option
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS

TAG = gettext_lazy("Options and benefits")
OPTION_FIELDS = [
    "code",
    "name",
    "cost_class",
    "investment",
    "status",
    "planned_on",
    "started_on",
    "implemented_on",
    "dropped_reason",
]
NUMBER_TAKEN = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("The case already has an option of this number.")
)


class BenefitWriteSerializer(serializers.Serializer):
    indicator_code = serializers.SlugField(max_length=30)
    expected = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, default=0)
    verified = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, default=None
    )


class OptionWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, validators=NAME_VALIDATORS, help_text=gettext_lazy("Number"))
    name = serializers.CharField(max_length=200, validators=NAME_VALIDATORS)
    cost_class = serializers.ChoiceField(choices=Option.CostClass.choices)
    investment = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=gettext_lazy("Investment (10k yuan)")
    )
    status = serializers.ChoiceField(
        choices=Option.Status.choices, required=False, default=Option.Status.PLANNED
    )
    planned_on = serializers.DateField(help_text=gettext_lazy("Adopted on"))
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    implemented_on = serializers.DateField(required=False, allow_null=True, default=None)
    dropped_reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    benefits = BenefitWriteSerializer(many=True, required=False, default=list)

    def validate_benefits(self, rows):
        known = set(Indicator.objects.values_list("code", flat=True))
        problems, seen = [], set()
        for row in rows:
            code = row["indicator_code"]
            if code not in known:
                problems.append(_("Unknown indicator “%(c)s”.") % {"c": code})
            elif code in seen:
                problems.append(_("Indicator “%(c)s” is given twice.") % {"c": code})
            seen.add(code)
        if problems:
            raise serializers.ValidationError(problems)
        return rows


def _benefits(rows) -> dict:
    return {r["indicator_code"]: (r["expected"], r["verified"]) for r in rows}


def _saved(request, case: AuditCase, data: dict, benefits: dict) -> Option:
    """Through the service, its problems as 400 beside their field."""
    fields = {name: data[name] for name in OPTION_FIELDS}
    try:
        return option_services.option_save(
            case=case,
            actor=request.user,
            data=option_services.OptionData(**fields, benefits=benefits),
        )
    except option_services.OptionRefused as exc:
        problems: dict[str, list[str]] = {}
        for field, message in exc.problems:
            key = field if field in OPTION_FIELDS else f"benefits.{field}"
            problems.setdefault(key, []).append(str(message))
        raise exceptions.ValidationError(problems) from exc


def _may_edit(request, case: AuditCase) -> None:
    if not scoping.may_edit_case_materials(request.user, case):
        raise exceptions.PermissionDenied(_("Only the enterprise or its agency enters this case's options."))


def _answer(request, option_pk: int, code=status.HTTP_200_OK) -> Response:
    option = OptionViewSet(request=request).get_queryset().get(pk=option_pk)
    return Response(OptionSerializer(option).data, status=code)


class CaseOptionListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Add a cleaner-production option with its benefits to a case"),
        request=OptionWriteSerializer,
        responses={201: OptionSerializer, 409: NUMBER_TAKEN, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        case = selectors.case_get(user=request.user, pk=pk)
        if case is None:
            raise NotFound(_("No such case."))
        _may_edit(request, case)
        sent = OptionWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        if case.options.filter(code=data["code"].strip()).exists():
            raise Conflict(
                _("The case already has option %(code)s; change it with PATCH.") % {"code": data["code"]},
                code="refused",
            )
        option = _saved(request, case, data, _benefits(data["benefits"]))
        return _answer(request, option.pk, status.HTTP_201_CREATED)


class OptionWriteViewSet(OptionViewSet):
    """The read endpoints with the change of one option beside them."""

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Change a cleaner-production option and its benefits"),
        request=OptionWriteSerializer,
        responses={200: OptionSerializer, **ERROR_RESPONSES},
    )
    def partial_update(self, request, pk=None):
        option = self.get_object()
        _may_edit(request, option.case)
        sent = OptionWriteSerializer(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        data = {name: sent.validated_data.get(name, getattr(option, name)) for name in OPTION_FIELDS}
        if data["code"].strip() != option.code:
            raise exceptions.ValidationError({"code": [_("An option's number does not change.")]})
        benefits = {b.indicator.code: (b.expected, b.verified) for b in option.benefits.all()}
        benefits.update(_benefits(sent.validated_data.get("benefits", [])))
        _saved(request, option.case, data, benefits)
        return _answer(request, option.pk)
