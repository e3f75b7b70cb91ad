"""Discharge permits (排污许可证) and their permitted pollutants as the API shows them, and an enterprise
with its permits."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.api.serializers import EnterpriseSerializer
from qingshen.registry.permit_models import Permit, PermittedPollutant
from qingshen.registry.scoping import permits_visible


class PermittedPollutantSerializer(serializers.ModelSerializer):
    class Meta:
        model = PermittedPollutant
        fields = ["id", "pollutant", "outlet", "limit_value", "unit"]


class PermitSerializer(serializers.ModelSerializer):
    management_class_display = serializers.CharField(source="get_management_class_display", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    pollutants = PermittedPollutantSerializer(many=True, read_only=True)

    class Meta:
        model = Permit
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "number",
            "management_class",
            "management_class_display",
            "issuing_authority",
            "valid_from",
            "valid_to",
            "updated_at",
            "pollutants",
        ]


class EnterpriseDetailSerializer(EnterpriseSerializer):
    permits = serializers.SerializerMethodField(
        help_text=_("The enterprise's discharge permits, latest-ending first (to those who may see them).")
    )

    class Meta(EnterpriseSerializer.Meta):
        fields = [*EnterpriseSerializer.Meta.fields, "permits"]

    @extend_schema_field(PermitSerializer(many=True))
    def get_permits(self, obj):
        request = self.context.get("request")
        if request is None:
            return []
        rows = (
            permits_visible(request.user)
            .filter(enterprise=obj)
            .select_related("enterprise")
            .prefetch_related("pollutants")
            .order_by("-valid_to", "number")
        )
        return PermitSerializer(rows, many=True).data
