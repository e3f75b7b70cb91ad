"""Industries and consulting agencies as the API shows them."""

from django.db.models import Avg, Count
from rest_framework import serializers

from qingshen.core.masking import mask
from qingshen.registry.models import Agency, Industry


class IndustrySerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Industry
        fields = [
            "id",
            "edition",
            "code",
            "level",
            "level_display",
            "parent",
            "name_zh",
            "name_en",
            "is_key_industry",
        ]


class AgencySerializer(serializers.ModelSerializer):
    # The contact's phone is personal data: masked, as in the log and the lists.
    contact_phone = serializers.SerializerMethodField()
    n_cases = serializers.IntegerField(read_only=True)
    n_staff = serializers.IntegerField(read_only=True)
    rating = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "uscc",
            "jurisdiction",
            "contact_name",
            "contact_phone",
            "is_active",
            "n_cases",
            "n_staff",
            "rating",
        ]

    def get_contact_phone(self, obj) -> str:
        return mask(obj.contact_phone or "")


AGENCY_FIGURES = {
    "n_cases": Count("delegations__case", distinct=True),
    "rating": Avg("ratings__rating"),
    "n_staff": Count("staff", distinct=True),
}
