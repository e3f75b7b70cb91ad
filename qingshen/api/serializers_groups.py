"""Group audits (行业/园区/集群整体审核) as the API shows them and what their write endpoints accept."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.api.error_schema import ErrorSerializer
from qingshen.cases.models import GroupAudit, GroupMember
from qingshen.core.text import NAME_VALIDATORS


class GroupSerializer(serializers.ModelSerializer):
    lead_kind_display = serializers.CharField(source="get_lead_kind_display", read_only=True)
    programme = serializers.IntegerField(source="case.programme_id", read_only=True)
    year = serializers.IntegerField(source="case.programme.year", read_only=True)
    lead = serializers.IntegerField(source="case.enterprise_id", read_only=True)
    lead_name = serializers.CharField(source="case.enterprise.name", read_only=True)
    state = serializers.CharField(
        source="case.state", read_only=True, help_text=_("The state of the group's own case.")
    )
    state_display = serializers.CharField(source="case.get_state_display", read_only=True)
    member_count = serializers.IntegerField(read_only=True, help_text=_("Members not removed."))

    class Meta:
        model = GroupAudit
        fields = [
            "id",
            "name",
            "lead_kind",
            "lead_kind_display",
            "programme",
            "year",
            "case",
            "state",
            "state_display",
            "lead",
            "lead_name",
            "member_count",
            "created_at",
        ]


class GroupMemberSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    case = serializers.SerializerMethodField(
        help_text=_("The member's own open case, when it has one and you see it.")
    )
    case_state = serializers.SerializerMethodField()

    class Meta:
        model = GroupMember
        fields = ["id", "enterprise", "enterprise_name", "case", "case_state", "added_at", "counted_on"]

    def _case(self, obj):
        return obj.case if obj.case_id in self.context.get("cases_seen", ()) else None

    def get_case(self, obj) -> int | None:
        case = self._case(obj)
        return case.pk if case else None

    def get_case_state(self, obj) -> str | None:
        case = self._case(obj)
        return case.state if case else None


class GroupDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    version = serializers.IntegerField()
    original_name = serializers.CharField()


class GroupDetailSerializer(GroupSerializer):
    members = serializers.SerializerMethodField()
    documents = GroupDocumentSerializer(
        many=True, read_only=True, source="documents_seen", help_text=_("The group case's documents you see.")
    )
    members_editable = serializers.BooleanField(
        read_only=True, help_text=_("Whether you may add or remove members now.")
    )
    counted_at = serializers.CharField(
        read_only=True,
        help_text=_("The group's review that counts its members as audited: evaluation or acceptance."),
    )

    class Meta(GroupSerializer.Meta):
        fields = [*GroupSerializer.Meta.fields, "members", "documents", "members_editable", "counted_at"]

    @extend_schema_field(GroupMemberSerializer(many=True))
    def get_members(self, obj):
        return GroupMemberSerializer(obj.members_seen, many=True, context=self.context).data


class GroupCreateSerializer(serializers.Serializer):
    programme = serializers.IntegerField(
        min_value=1, help_text=_("The programme whose published list opens it.")
    )
    name = serializers.CharField(max_length=200, validators=NAME_VALIDATORS)
    lead_kind = serializers.ChoiceField(choices=GroupAudit.LeadKind.choices)
    lead = serializers.IntegerField(
        min_value=1, help_text=_("The lead's enterprise id (in the city's registry, not on the list yet).")
    )
    lead_account = serializers.BooleanField(default=False, help_text=_("Give the lead an account now."))


class MemberAddSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(min_value=1, help_text=_("The member enterprise's id."))


class GroupConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text=_("The state of the group's case now."))
