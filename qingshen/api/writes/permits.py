"""A discharge permit entered or changed by hand through the API, as the registry's permit form: the
city or district bureau over the enterprise records a permit with its pollutants, or changes one (its
pollutants replaced by those sent).

The enterprise is looked up through the caller's scope (else 404) and the permit among the enterprise's
(else 404); only the bureau that may edit the enterprise writes (else 403). The fields are checked as the
form and the service check them (400 beside the field, nothing written); a number already recorded for
another permit is a 409. registry.permits writes and logs.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qingshen.api.error_schema import ERROR_RESPONSES, ErrorSerializer
from qingshen.api.errors import Conflict
from qingshen.api.serializers_permits import PermitSerializer
from qingshen.core.errors import NotFound
from qingshen.core.text import NAME_VALIDATORS
from qingshen.registry import permit_numbers, scoping, selectors
from qingshen.registry.permit_models import Permit
from qingshen.registry.permits import permit_save
from qingshen.registry.services import RegistryError

TAG = gettext_lazy("Discharge permits")
PERMIT = OpenApiParameter(
    "permit_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=gettext_lazy("The permit's id.")
)
CLASH = OpenApiResponse(
    ErrorSerializer, description=gettext_lazy("The permit number is already recorded for another permit.")
)


class PollutantInputSerializer(serializers.Serializer):
    pollutant = serializers.CharField(max_length=60, validators=NAME_VALIDATORS)
    outlet = serializers.CharField(
        max_length=60, allow_blank=True, required=False, default="", validators=NAME_VALIDATORS
    )
    limit_value = serializers.DecimalField(max_digits=16, decimal_places=4, min_value=0)
    unit = serializers.CharField(max_length=20, validators=NAME_VALIDATORS)


class PermitInputSerializer(serializers.Serializer):
    number = serializers.CharField(
        max_length=40,
        help_text=gettext_lazy("22 characters: the enterprise's credit code, 3 digits and a letter."),
    )
    management_class = serializers.ChoiceField(choices=Permit.ManagementClass.choices)
    issuing_authority = serializers.CharField(
        max_length=100, allow_blank=True, required=False, default="", validators=NAME_VALIDATORS
    )
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    pollutants = PollutantInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text=gettext_lazy("The permitted pollutants; they replace the permit's former list."),
    )

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise

    def validate_number(self, value):
        try:
            return permit_numbers.validate(value, uscc=self.enterprise.uscc)
        except permit_numbers.InvalidPermitNumber as exc:
            raise serializers.ValidationError(exc.reason) from exc

    def validate(self, data):
        problems = {}
        if data["valid_to"] < data["valid_from"]:
            problems["valid_to"] = [_("The permit cannot end before it begins.")]
        if (
            data["management_class"] != Permit.ManagementClass.REGISTRATION
            and not data["issuing_authority"].strip()
        ):
            problems["issuing_authority"] = [_("A permit needs its issuing authority.")]
        keys = [(p["outlet"], p["pollutant"], p["unit"]) for p in data["pollutants"]]
        if len(set(keys)) != len(keys):
            problems["pollutants"] = [_("A pollutant is listed twice for the same outlet and unit.")]
        if problems:
            raise serializers.ValidationError(problems)
        return data


def _enterprise_editable(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if enterprise is None:
        raise NotFound(_("No such enterprise."))
    if not scoping.may_edit_enterprise(request.user, enterprise):
        raise exceptions.PermissionDenied(
            _("Only the city or district bureau over the enterprise records its permits.")
        )
    return enterprise


def _saved(request, enterprise, permit, code) -> Response:
    sent = PermitInputSerializer(data=request.data, enterprise=enterprise)
    sent.is_valid(raise_exception=True)
    data = sent.validated_data
    try:
        saved = permit_save(actor=request.user, enterprise=enterprise, permit=permit, **data)
    except RegistryError as exc:  # the number recorded for another permit, or a rule of the model's own
        if Permit.objects.filter(number=data["number"]).exclude(pk=getattr(permit, "pk", None)).exists():
            raise Conflict(exc.message) from exc
        raise exceptions.ValidationError({"non_field_errors": [exc.message]}) from exc
    saved = Permit.objects.select_related("enterprise").prefetch_related("pollutants").get(pk=saved.pk)
    return Response(PermitSerializer(saved).data, status=code)


class EnterprisePermitListView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Record a discharge permit of an enterprise by hand"),
        description=gettext_lazy(
            "As the registry's permit form: for the city or district bureau over the enterprise. The "
            "number must begin with the enterprise's credit code; a registration (登记管理) needs no "
            "issuing authority."
        ),
        request=PermitInputSerializer,
        responses={201: PermitSerializer, 409: CLASH, **ERROR_RESPONSES},
    )
    def post(self, request, pk: int):
        enterprise = _enterprise_editable(request, pk)
        return _saved(request, enterprise, None, status.HTTP_201_CREATED)


class EnterprisePermitDetailView(APIView):
    @extend_schema(
        tags=[TAG],
        summary=gettext_lazy("Change a discharge permit of an enterprise"),
        description=gettext_lazy(
            "Every field is sent, as the form sends them; the permitted pollutants sent replace the "
            "former list (the log keeps it). Sending the permit as it is changes nothing."
        ),
        parameters=[PERMIT],
        request=PermitInputSerializer,
        responses={200: PermitSerializer, 409: CLASH, **ERROR_RESPONSES},
    )
    def put(self, request, pk: int, permit_pk: int):
        enterprise = _enterprise_editable(request, pk)
        permit = Permit.objects.filter(pk=permit_pk, enterprise=enterprise).first()
        if permit is None:
            raise NotFound(_("No such permit."))
        return _saved(request, enterprise, permit, status.HTTP_200_OK)
