"""Reviews with their panel and seats, the draw's verification, and the expert pool (personal data
masked) as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.core.masking import mask
from qingshen.reviews.models import Expert, Panel, PanelSeat, Review


class SeatSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PanelSeat
        fields = [
            "id",
            "position",
            "expert",
            "expert_name",
            "is_chair",
            "status",
            "status_display",
            "responded_at",
            "replaces",
        ]


class PanelSerializer(serializers.ModelSerializer):
    seats = SeatSerializer(many=True, read_only=True)

    class Meta:
        model = Panel
        fields = ["id", "algorithm", "seed", "size", "record_sha256", "drawn_at", "seats"]


class ReviewSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    panel = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "applied_on",
            "checked_on",
            "missing_items",
            "refusal_reason",
            "result_score",
            "result_vetoed",
            "outcome",
            "level",
            "conclusion_reasons",
            "requirements",
            "confirmed_at",
            "concluded_on",
            "panel",
        ]

    @extend_schema_field(PanelSerializer(allow_null=True))
    def get_panel(self, obj):
        panel = getattr(obj, "panel", None)
        return PanelSerializer(panel).data if panel is not None else None


class VerificationSerializer(serializers.Serializer):
    # The draw recomputed from its stored record and compared with the seats taken.

    matches = serializers.BooleanField()
    digest_ok = serializers.BooleanField()
    seed_ok = serializers.BooleanField()
    expected = serializers.ListField(child=serializers.IntegerField())
    actual = serializers.ListField(child=serializers.IntegerField())
    record = serializers.JSONField()
    record_sha256 = serializers.CharField()


class ExpertSerializer(serializers.ModelSerializer):
    # Personal data, masked as in the lists and the log: enough to recognise, not to use.
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    specialties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    fields = serializers.JSONField(read_only=True)
    n_seats = serializers.IntegerField(read_only=True)

    class Meta:
        model = Expert
        fields = [
            "id",
            "name",
            "specialties",
            "fields",
            "employer_name",
            "employer_uscc",
            "region",
            "title",
            "phone",
            "email",
            "certificate_no",
            "is_active",
            "last_drawn_on",
            "n_seats",
        ]

    def get_phone(self, obj) -> str:
        return mask(obj.phone or "")

    def get_email(self, obj) -> str:
        return mask(obj.email or "")
