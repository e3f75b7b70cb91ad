"""A case's baselines (审核前的基准数据) through the API, as the portal's options page.

`GET /api/v1/cases/{id}/baselines/` lists them; `POST` sets one indicator's figure of the base year
(creating or replacing it: one per indicator). The case must be in the caller's scope (else 404) and its
materials the caller's to edit (else 403). cases.options checks (no negative figure, none below the
reductions already declared, a base year in range) and logs.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES
from qingshen.api.serializers_cases import BaselineSerializer
from qingshen.api.writes.options import TAG, _may_edit
from qingshen.cases import options as option_services
from qingshen.cases import selectors
from qingshen.cases.models import Indicator
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS

BASELINE_FIELDS = ("value", "source", "year")


class BaselineWriteSerializer(serializers.Serializer):
    indicator_code = serializers.SlugField(max_length=30)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, min_value=0)
    source = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=NAME_VALIDATORS
    )
    year = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1900,
        max_value=2999,
        help_text=gettext_lazy(
            "Base year (审核基准年); by default the case's, else the year before the list"
        ),
    )

    def validate_indicator_code(self, code):
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise serializers.ValidationError(_("Unknown indicator “%(c)s”.") % {"c": code})
        return indicator


def _case(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise NotFound(_("No such case."))
    return case


class CaseBaselineView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("A case's baselines"),
        responses={200: BaselineSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        case = _case(request, pk)
        rows = case.baselines.select_related("indicator").order_by("indicator__sort_order", "indicator__code")
        return Response(BaselineSerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Set one baseline of a case (one per indicator)"),
        request=BaselineWriteSerializer,
        responses={200: BaselineSerializer, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        case = _case(request, pk)
        _may_edit(request, case)
        sent = BaselineWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        data = sent.validated_data
        try:
            baseline = option_services.baseline_save(
                case=case,
                actor=request.user,
                indicator=data["indicator_code"],
                value=data["value"],
                source=data["source"],
                year=data["year"],
            )
        except option_services.OptionRefused as exc:
            problems: dict[str, list[str]] = {}
            for field, message in exc.problems:
                problems.setdefault(field if field in BASELINE_FIELDS else "year", []).append(str(message))
            raise exceptions.ValidationError(problems) from exc
        return Response(BaselineSerializer(baseline).data)
