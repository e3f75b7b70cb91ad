"""Warnings, accountability records, penalties and spot checks as the API shows them."""

from rest_framework import serializers

from qingshen.oversight.models import AccountabilityRecord, Penalty, SpotCheck, SpotCheckItem, Warning


class WarningSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    deadline_kind = serializers.CharField(source="deadline.kind", read_only=True, default=None)
    milestone_name = serializers.CharField(source="milestone.name", read_only=True, default=None)

    class Meta:
        model = Warning
        fields = [
            "id",
            "level",
            "level_display",
            "threshold_days",
            "due_on",
            "recorded_at",
            "notified_at",
            "case",
            "programme",
            "deadline",
            "deadline_kind",
            "milestone",
            "milestone_name",
        ]


class AccountabilitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = AccountabilityRecord
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "duty",
            "responsible_section",
            "rule_citation",
            "explanation",
            "opened_at",
            "due_on",
            "closed_at",
            "close_explanation",
        ]


class PenaltySerializer(serializers.ModelSerializer):
    violation_code = serializers.CharField(source="violation.code", read_only=True)
    violation_name = serializers.CharField(source="violation.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Penalty
        fields = [
            "id",
            "violation",
            "violation_code",
            "violation_name",
            "case",
            "enterprise",
            "agency",
            "facts",
            "ordered_on",
            "correct_by",
            "corrected_on",
            "fine",
            "penalised_on",
            "state",
            "state_display",
            "credit_marked",
            "disclosure_listed",
        ]


class SpotCheckItemSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="case.enterprise.name", read_only=True)
    verdict_display = serializers.CharField(source="get_verdict_display", read_only=True)

    class Meta:
        model = SpotCheckItem
        fields = ["id", "case", "enterprise_name", "verdict", "verdict_display", "finding"]


class SpotCheckSerializer(serializers.ModelSerializer):
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    items = SpotCheckItemSerializer(many=True, read_only=True)

    class Meta:
        model = SpotCheck
        fields = [
            "id",
            "city",
            "year",
            "mode",
            "mode_display",
            "amount",
            "drawn_at",
            "result",
            "concluded_at",
            "items",
        ]
