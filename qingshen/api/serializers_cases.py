"""A case's documents (metadata only), disclosure, options and benefits as the API shows them."""

from django.urls import reverse
from rest_framework import serializers

from qingshen.cases.models import Benefit, Disclosure, Document, Option


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "version",
            "original_name",
            "size",
            "sha256",
            "sm3",
            "content_type",
            "uploaded_at",
            "restricted",
            "is_current",
            "superseded_by",
            "used_in_review",
            "download",
        ]

    def get_download(self, obj) -> str:
        """The file itself comes from the case page's download address, which checks scope and logs."""
        url = reverse("document-download", kwargs={"pk": obj.case_id, "doc_pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DisclosureSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    content = serializers.JSONField(read_only=True)
    grounds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "case",
            "status",
            "status_display",
            "grounds",
            "content",
            "published_where",
            "proof",
            "updated_at",
            "submitted_on",
        ]


class BenefitSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = Benefit
        fields = ["id", "indicator", "indicator_code", "unit", "expected", "verified"]


class OptionSerializer(serializers.ModelSerializer):
    cost_class_display = serializers.CharField(source="get_cost_class_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    benefits = BenefitSerializer(many=True, read_only=True)

    class Meta:
        model = Option
        fields = [
            "id",
            "case",
            "code",
            "name",
            "cost_class",
            "cost_class_display",
            "investment",
            "status",
            "status_display",
            "planned_on",
            "started_on",
            "implemented_on",
            "dropped_reason",
            "updated_at",
            "benefits",
        ]
