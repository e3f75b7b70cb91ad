"""The operation log as the API shows it to the audit administrator (values were masked when logged)."""

from rest_framework import serializers

from qingshen.trail.labels import action_label
from qingshen.trail.models import Event


class EventSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    before = serializers.JSONField(read_only=True)
    after = serializers.JSONField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "seq",
            "at",
            "actor",
            "actor_name",
            "client_ip",
            "action",
            "action_label",
            "result",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "note",
            "digest",
        ]

    def get_action_label(self, obj) -> str:
        return str(action_label(obj.action))


class CaseStepSerializer(serializers.ModelSerializer):
    # One entry of a case's history, as the case page's timeline shows it (not the log's full row).

    action_label = serializers.SerializerMethodField()
    state_before = serializers.SerializerMethodField()
    state_after = serializers.SerializerMethodField()
    effective_on = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            "at",
            "effective_on",
            "actor_name",
            "action",
            "action_label",
            "result",
            "state_before",
            "state_after",
            "note",
        ]

    def get_action_label(self, obj) -> str:
        return str(action_label(obj.action))

    def get_state_before(self, obj) -> str | None:
        return (obj.before or {}).get("state")

    def get_state_after(self, obj) -> str | None:
        return (obj.after or {}).get("state")

    def get_effective_on(self, obj) -> str | None:
        return (obj.after or {}).get("effective_on")
