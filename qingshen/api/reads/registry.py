"""Industries (reference data) and consulting agencies, through registry.scoping."""

from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.reads.base import allowed_if, described
from qingshen.api.serializers_registry import AGENCY_FIGURES, AgencySerializer, IndustrySerializer
from qingshen.registry import scoping


@described(_("Industries"), _("The industry classification (GB/T 4754)"), _("One industry"))
class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndustrySerializer
    filterset_fields = ["edition", "level", "code", "is_key_industry"]

    def get_queryset(self):
        return scoping.industries_visible(self.request.user).order_by("edition", "code", "pk")


@described(_("Agencies"), _("Consulting agencies you may see"), _("One consulting agency"))
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgencySerializer
    filterset_fields = ["is_active"]

    permission_classes = allowed_if(scoping.may_see_agencies)

    def get_queryset(self):
        return scoping.agencies_visible(self.request.user).annotate(**AGENCY_FIGURES).order_by("name", "pk")
