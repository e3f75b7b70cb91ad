"""What the public endpoints show: the public site's fields only (name, credit code, district, year,
public stage, level and dates; never contacts, scores, comments or documents)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.cases.disclosure_fields import fields_for
from qingshen.cases.models import AuditCase, Disclosure
from qingshen.cases.states import PUBLIC_LABELS
from qingshen.procedures.models import Procedure, ProcedureStep
from qingshen.programmes.models import Programme


class PublicListSerializer(serializers.ModelSerializer):
    city_name = serializers.CharField(source="city.local_name", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "year", "title", "city", "city_name", "document_number", "published_on"]


class PublicCaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    district_name = serializers.CharField(source="jurisdiction.local_name", read_only=True)
    year = serializers.IntegerField(source="programme.year", read_only=True)
    stage = serializers.SerializerMethodField(
        help_text=_("The public name of the stage (coarser than the state).")
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = AuditCase
        fields = [
            "id",
            "programme",
            "enterprise_name",
            "enterprise_uscc",
            "district_name",
            "year",
            "stage",
            "level",
            "level_display",
            "accepted_on",
            "result_published_on",
        ]

    def get_stage(self, obj) -> str:
        return str(PUBLIC_LABELS.get(obj.state, ""))


class DisclosureItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class PublicDisclosureSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="case.enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="case.enterprise.uscc", read_only=True)
    district_name = serializers.CharField(source="case.jurisdiction.local_name", read_only=True)
    year = serializers.IntegerField(source="case.programme.year", read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    items = serializers.SerializerMethodField(help_text=_("The disclosed items in the order of the form."))

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "enterprise_name",
            "enterprise_uscc",
            "district_name",
            "year",
            "submitted_on",
            "due_on",
            "published_where",
            "items",
        ]

    @extend_schema_field(DisclosureItemSerializer(many=True))
    def get_items(self, obj):
        return [
            {"key": f.key, "label": str(f.label), "value": str(obj.content.get(f.key, "") or "")}
            for _section, f in fields_for(obj.grounds)
        ]


class ProcedureStepSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="local_name", read_only=True)
    rule_amount = serializers.IntegerField(
        source="rule.amount", read_only=True, default=None, allow_null=True
    )
    rule_unit = serializers.CharField(
        source="rule.get_unit_display", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ProcedureStep
        fields = [
            "order",
            "name",
            "description",
            "time_limit",
            "rule_amount",
            "rule_unit",
            "responsible_section",
        ]


class ProcedureSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="local_name", read_only=True)
    power_type_display = serializers.CharField(source="get_power_type_display", read_only=True)
    steps = ProcedureStepSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "number",
            "name",
            "power_type",
            "power_type_display",
            "acting_body",
            "scope",
            "legal_basis",
            "mandate",
            "accountability",
            "supervision",
            "supervision_phone",
            "discipline_phone",
            "remedies",
            "remarks",
            "version",
            "effective_on",
            "updated_at",
            "steps",
        ]
