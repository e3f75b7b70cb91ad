"""Reviews with their panel and seats, the draw's verification, and the expert pool (personal data
masked) as the API shows them."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qingshen.cases import scoping as case_scoping
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


class CosignStateSerializer(serializers.Serializer):
    # The consulted department's co-signature (reviews.services.cosign), as the review page shows it.

    consulted_authority = serializers.CharField(
        allow_blank=True,
        help_text=_("The department consulted on the case (energy on mixed grounds), or empty."),
    )
    required = serializers.BooleanField(
        help_text=_("The city's setting asks the consulted department to co-sign before the chair confirms.")
    )
    pending = serializers.BooleanField(help_text=_("Required and not given yet."))
    cosigned_by = serializers.IntegerField(allow_null=True)
    cosigned_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)


def cosign_state(review) -> dict:
    required = case_scoping.consultation_cosigns(review.case)
    return {
        "consulted_authority": case_scoping.case_consulted_authority(review.case),
        "required": required,
        "pending": required and review.cosigned_at is None,
        "cosigned_by": review.cosigned_by_id,
        "cosigned_at": review.cosigned_at,
        "comment": review.cosign_comment,
    }


class ReviewSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    panel = serializers.SerializerMethodField()
    cosign = serializers.SerializerMethodField()

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
            "cosign",
        ]

    @extend_schema_field(PanelSerializer(allow_null=True))
    def get_panel(self, obj):
        panel = getattr(obj, "panel", None)
        return PanelSerializer(panel).data if panel is not None else None

    @extend_schema_field(CosignStateSerializer)
    def get_cosign(self, obj):
        return CosignStateSerializer(cosign_state(obj)).data


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
