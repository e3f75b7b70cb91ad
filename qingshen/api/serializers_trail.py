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
