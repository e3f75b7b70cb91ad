"""A case's audit focus (审核重点) and cleaner production targets (清洁生产目标) through the API, as the
portal's targets page (cases.targets writes, checks and logs; cases.selectors.target_rows reads each
target with its actual value and whether it is met).

Whoever sees the case reads them (else 404). The enterprise or its delegated agency edits (else 403):
the focus and the targets until the evaluation is applied for, the actual values while the options are
implemented; in another state the step is a 409 with the case's state. A target's rule broken is a 400
beside its field; a target not of the case (or withdrawn) is a 404.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.cases import scoping, selectors, target_rules
from qingshen.cases import targets as target_services
from qingshen.cases.models import AuditCase, Indicator, Target
from qingshen.cases.options import OptionRefused
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS, PUBLIC_TEXT_VALIDATORS

TAG = gettext_lazy("Audit focus and targets")
TARGET_FIELDS = ("name", "unit", "direction", "baseline", "target_value", "target_year", "indicator")


class CaseStateConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text=gettext_lazy("The case's state now."))


STATE_REFUSED = OpenApiResponse(
    CaseStateConflictSerializer,
    description=gettext_lazy(
        "The case's state refuses the step (code refused): the focus and targets are fixed once the "
        "evaluation is applied for; actual values are entered while the options are implemented."
    ),
)
WRITE_ERRORS = {**ERROR_RESPONSES, 409: STATE_REFUSED}


class FocusSerializer(serializers.Serializer):
    audit_focus = serializers.CharField(
        max_length=target_services.FOCUS_MAX_CHARS,
        validators=PUBLIC_TEXT_VALIDATORS,
        help_text=gettext_lazy("The audit focus (审核重点) chosen in pre-assessment."),
    )


class TargetReadSerializer(serializers.ModelSerializer):
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True, allow_null=True)
    entered_actual = serializers.DecimalField(
        source="actual", max_digits=14, decimal_places=4, read_only=True, allow_null=True
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "case",
            "name",
            "unit",
            "indicator_code",
            "direction",
            "direction_display",
            "baseline",
            "target_value",
            "target_year",
            "entered_actual",
            "updated_at",
        ]


class TargetRowSerializer(serializers.Serializer):
    target = TargetReadSerializer()
    verified = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=gettext_lazy("The options' verified benefit of the target's indicator, if it has one."),
    )
    actual = serializers.DecimalField(
        max_digits=None,
        decimal_places=4,
        allow_null=True,
        help_text=gettext_lazy(
            "The value reached: the figure entered, else derived from the verified benefit."
        ),
    )
    derived = serializers.BooleanField(help_text=gettext_lazy("The actual value is derived, not entered."))
    status = serializers.ChoiceField(
        choices=[
            (target_rules.MET, gettext_lazy("met")),
            (target_rules.NOT_MET, gettext_lazy("not met")),
            (target_rules.UNKNOWN, gettext_lazy("unknown")),
        ]
    )
    change = serializers.DecimalField(
        max_digits=None,
        decimal_places=1,
        allow_null=True,
        help_text=gettext_lazy("Change from the baseline, in per cent."),
    )


class CaseTargetsSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    audit_focus = serializers.CharField(allow_blank=True)
    may_plan = serializers.BooleanField(help_text=gettext_lazy("You may change the focus and targets now."))
    may_enter_actuals = serializers.BooleanField(
        help_text=gettext_lazy("You may enter the actual values now.")
    )
    first_year = serializers.IntegerField()
    last_year = serializers.IntegerField()
    targets = TargetRowSerializer(many=True)


class TargetWriteSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, validators=NAME_VALIDATORS, help_text=gettext_lazy("Indicator")
    )
    unit = serializers.CharField(max_length=30, validators=NAME_VALIDATORS)
    direction = serializers.ChoiceField(choices=Target.Direction.choices)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=4)
    target_value = serializers.DecimalField(max_digits=14, decimal_places=4)
    target_year = serializers.IntegerField(min_value=1900, max_value=2999)
    indicator = serializers.SlugField(
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Code of the benefit indicator that measures the target (optional)."),
    )

    def validate_indicator(self, code):
        if code and not Indicator.objects.filter(code=code).exists():
            raise serializers.ValidationError(_("Unknown indicator “%(c)s”.") % {"c": code})
        return code


class ActualSerializer(serializers.Serializer):
    actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=4,
        min_value=0,
        allow_null=True,
        help_text=gettext_lazy("The value reached; null: derive it from the verified benefits."),
    )


def _case(request, pk: int) -> AuditCase:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise NotFound(_("No such case."))
    return case


def _editable(request, case: AuditCase, allowed_states) -> None:
    """403 unless the caller edits the case's materials; 409 with the state unless it allows the step."""
    if not scoping.may_edit_case_materials(request.user, case):
        raise exceptions.PermissionDenied(_("Only the enterprise or its agency enters this case's targets."))
    if case.state not in allowed_states:
        if allowed_states is target_services.PLANNING_STATES:
            message = _("The audit focus and the targets are fixed once the evaluation is applied for.")
        else:
            message = _("Actual values are entered while the options are being implemented.")
        raise Conflict(message, code="refused", extra={"state": case.state})


def _target(case: AuditCase, target_pk: int) -> Target:
    target = Target.objects.filter(case=case, pk=target_pk, withdrawn=False).first()
    if target is None:
        raise NotFound(_("No such target in this case."))
    return target


def _called(fn, fields, **kwargs):
    """The service's reasons as 400 beside their fields (others beside non_field_errors)."""
    try:
        return fn(**kwargs)
    except OptionRefused as exc:
        problems: dict[str, list[str]] = {}
        for field, message in exc.problems:
            problems.setdefault(field if field in fields else "non_field_errors", []).append(str(message))
        raise exceptions.ValidationError(problems) from exc


def _answer(request, case: AuditCase, code=status.HTTP_200_OK) -> Response:
    case = _case(request, case.pk)
    first, last = target_services.target_year_range(case)
    data = {
        "case": case.pk,
        "audit_focus": case.audit_focus,
        "may_plan": target_services.may_plan(request.user, case),
        "may_enter_actuals": target_services.may_enter_actuals(request.user, case),
        "first_year": first,
        "last_year": last,
        "targets": selectors.target_rows(case=case),
    }
    return Response(CaseTargetsSerializer(data).data, status=code)


def _data(values: dict) -> target_rules.TargetData:
    return target_rules.TargetData(
        name=values["name"],
        unit=values["unit"],
        direction=values["direction"],
        baseline=values["baseline"],
        target_value=values["target_value"],
        target_year=values["target_year"],
        indicator_code=values.get("indicator", ""),
    )


class CaseTargetListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy(
            "A case's audit focus and targets, each with its actual value and whether it is met"
        ),
        responses={200: CaseTargetsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        return _answer(request, _case(request, pk))

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Add a cleaner production target to a case"),
        request=TargetWriteSerializer,
        responses={201: CaseTargetsSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        case = _case(request, pk)
        _editable(request, case, target_services.PLANNING_STATES)
        sent = TargetWriteSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        _called(
            target_services.target_save,
            TARGET_FIELDS,
            case=case,
            actor=request.user,
            data=_data(sent.validated_data),
        )
        return _answer(request, case, status.HTTP_201_CREATED)


class CaseTargetDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Change a target of a case (only what is sent)"),
        request=TargetWriteSerializer,
        responses={200: CaseTargetsSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, pk: int, target_pk: int):
        case = _case(request, pk)
        target = _target(case, target_pk)
        _editable(request, case, target_services.PLANNING_STATES)
        sent = TargetWriteSerializer(data=request.data, partial=True)
        sent.is_valid(raise_exception=True)
        values = {f: getattr(target, f) for f in TARGET_FIELDS if f != "indicator"}
        values["indicator"] = target.indicator.code if target.indicator_id else ""
        values.update(sent.validated_data)
        _called(
            target_services.target_save,
            TARGET_FIELDS,
            case=case,
            actor=request.user,
            data=_data(values),
            target_id=target.pk,
        )
        return _answer(request, case)


class TargetWithdrawView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Withdraw a target entered by mistake (kept on record)"),
        request=None,
        responses={200: CaseTargetsSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int, target_pk: int):
        case = _case(request, pk)
        target = _target(case, target_pk)
        _editable(request, case, target_services.PLANNING_STATES)
        _called(target_services.target_withdraw, (), case=case, actor=request.user, target_id=target.pk)
        return _answer(request, case)


class TargetActualView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Enter a target's actual value (while the options are implemented)"),
        request=ActualSerializer,
        responses={200: CaseTargetsSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int, target_pk: int):
        case = _case(request, pk)
        target = _target(case, target_pk)
        _editable(request, case, target_services.ACTUAL_STATES)
        sent = ActualSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        _called(
            target_services.target_actual_save,
            ("actual",),
            case=case,
            actor=request.user,
            target_id=target.pk,
            actual=sent.validated_data["actual"],
        )
        return _answer(request, case)


class CaseFocusView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("A case's audit focus"),
        responses={200: FocusSerializer, **ERROR_RESPONSES},
    )
    def get(self, request, pk: int):
        return Response(FocusSerializer({"audit_focus": _case(request, pk).audit_focus}).data)

    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Set a case's audit focus"),
        request=FocusSerializer,
        responses={200: FocusSerializer, **WRITE_ERRORS},
    )
    def put(self, request, pk: int):
        case = _case(request, pk)
        _editable(request, case, target_services.PLANNING_STATES)
        sent = FocusSerializer(data=request.data)
        sent.is_valid(raise_exception=True)
        saved = _called(
            target_services.audit_focus_save,
            ("audit_focus",),
            case=case,
            actor=request.user,
            text=sent.validated_data["audit_focus"],
        )
        return Response(FocusSerializer({"audit_focus": saved.audit_focus}).data)
