"""Listings (the entries of an annual list) as the API shows them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.programmes.models import Ground, Listing


class ListingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    jurisdiction = serializers.IntegerField(source="enterprise.jurisdiction_id", read_only=True)
    grounds = serializers.ListField(child=serializers.ChoiceField(choices=Ground.choices), read_only=True)
    lead_authority_display = serializers.CharField(source="get_lead_authority_display", read_only=True)
    case = serializers.SerializerMethodField(
        help_text=_("The case the listing opened when its list was published.")
    )

    class Meta:
        model = Listing
        fields = [
            "id",
            "programme",
            "enterprise",
            "enterprise_name",
            "enterprise_uscc",
            "jurisdiction",
            "grounds",
            "other_reason",
            "lead_authority",
            "lead_authority_display",
            "note",
            "carried_from",
            "case",
            "created_at",
        ]

    def get_case(self, obj) -> int | None:
        case = getattr(obj, "case", None)
        return case.pk if case is not None else None
