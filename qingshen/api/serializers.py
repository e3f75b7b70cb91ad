"""What the API shows of each object: read-only fields, the display labels beside the codes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.roles import Authority
from qingshen.cases import scoping as case_scoping
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.programmes.models import Milestone, Programme
from qingshen.registry.models import Enterprise


class JurisdictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "name_en", "level", "code", "parent", "is_functional_zone"]


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        # Contact details stay out: they are personal data the list pages show only on the detail page.
        fields = ["id", "name", "uscc", "jurisdiction", "industry", "is_key_industry", "address"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "due_on", "source"]


class ProgrammeSerializer(serializers.ModelSerializer):
    list_state_display = serializers.CharField(source="get_list_state_display", read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "year",
            "city",
            "title",
            "list_state",
            "list_state_display",
            "published_on",
            "milestones",
        ]


class CaseSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    lead_authority = serializers.SerializerMethodField(
        help_text=_(
            "The department that leads the case (办法 Art. 20): energy for a case listed on energy use "
            "only, else environment (also for a voluntary audit, which no list carries)."
        )
    )
    lead_authority_display = serializers.SerializerMethodField()

    class Meta:
        model = AuditCase
        fields = [
            "id",
            "programme",
            "enterprise",
            "enterprise_name",
            "jurisdiction",
            "kind",
            "lead_authority",
            "lead_authority_display",
            "state",
            "state_display",
            "version",
            "published_on",
            "next_due_on",
            "next_due_kind",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Authority.choices))
    def get_lead_authority(self, obj) -> str:
        return case_scoping.case_lead_authority(obj)

    def get_lead_authority_display(self, obj) -> str:
        return str(Authority(case_scoping.case_lead_authority(obj)).label)


class DeadlineSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CaseDeadline
        fields = [
            "id",
            "kind",
            "kind_display",
            "party",
            "rule_code",
            "starts_on",
            "due_on",
            "provisional",
            "status",
            "met_on",
        ]


class CaseDetailSerializer(CaseSerializer):
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "disclosed_on",
            "audit_started_on",
            "report_submitted_on",
            "accepted_on",
            "level",
            "deadlines",
        ]
