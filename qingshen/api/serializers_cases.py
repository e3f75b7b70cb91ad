"""A case's documents (metadata only), disclosure, options and benefits as the API shows them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.cases.models import (
    Baseline,
    Benefit,
    BenefitRollup,
    Disclosure,
    Document,
    Option,
    OptionRollup,
)


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True)
    download = serializers.SerializerMethodField(
        help_text=_(
            "The file, from the case page's download address (it checks the scope and logs the download)."
        )
    )

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


class OptionTotalSerializer(serializers.ModelSerializer):
    # Options of one programme's cases in one jurisdiction, by cost class (dropped ones left out).

    programme = serializers.IntegerField(source="cell.programme_id", read_only=True)
    jurisdiction = serializers.IntegerField(source="cell.jurisdiction_id", read_only=True)

    class Meta:
        model = OptionRollup
        fields = [
            "id",
            "programme",
            "jurisdiction",
            "cost_class",
            "options",
            "investment",
            "options_done",
            "investment_done",
        ]


class BenefitTotalSerializer(serializers.ModelSerializer):
    # Benefits of one programme's cases in one jurisdiction, per indicator (dropped options left out).

    programme = serializers.IntegerField(source="cell.programme_id", read_only=True)
    jurisdiction = serializers.IntegerField(source="cell.jurisdiction_id", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = BenefitRollup
        fields = [
            "id",
            "programme",
            "jurisdiction",
            "indicator",
            "indicator_code",
            "unit",
            "expected",
            "verified",
        ]


class BaselineSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)

    class Meta:
        model = Baseline
        fields = [
            "id",
            "case",
            "indicator",
            "indicator_code",
            "unit",
            "value",
            "source",
            "year",
            "updated_at",
        ]
