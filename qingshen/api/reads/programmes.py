"""Listings, through programmes.scoping (a district sees its own enterprises' listings only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.filters_reads import ListingFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_programmes import ListingSerializer
from qingshen.programmes import scoping


@described(_("Listings"), _("Entries of the annual lists in your scope"), _("One listing"))
class ListingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ListingSerializer
    filterset_class = ListingFilter

    def get_queryset(self):
        return (
            scoping.listings_visible(self.request.user)
            .select_related("enterprise", "case")
            .order_by("programme_id", "enterprise__name", "pk")
        )
