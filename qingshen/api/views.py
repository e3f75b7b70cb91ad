"""Read endpoints: each queryset comes from the domain's scoping, so an object outside it is a 404."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from qingshen.accounts.scoping import jurisdictions_visible
from qingshen.api import filters, serializers
from qingshen.api.serializers_permits import EnterpriseDetailSerializer
from qingshen.cases.models import CaseDeadline
from qingshen.cases.scoping import cases_visible
from qingshen.programmes.models import Milestone
from qingshen.programmes.scoping import programmes_visible
from qingshen.registry.scoping import enterprises_visible


def _described(tag, list_summary, detail_summary):
    return extend_schema_view(
        list=extend_schema(tags=[tag], summary=list_summary),
        retrieve=extend_schema(tags=[tag], summary=detail_summary),
    )


@_described(_("Jurisdictions"), _("Jurisdictions in your scope"), _("One jurisdiction"))
class JurisdictionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.JurisdictionSerializer

    def get_queryset(self):
        return jurisdictions_visible(self.request.user).order_by("path", "pk")


@_described(_("Enterprises"), _("Enterprises in your scope"), _("One enterprise"))
class EnterpriseViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = filters.EnterpriseFilter

    def get_serializer_class(self):
        # One enterprise shows its discharge permits too (registry.scoping.permits_visible).
        return EnterpriseDetailSerializer if self.action == "retrieve" else serializers.EnterpriseSerializer

    def get_queryset(self):
        return enterprises_visible(self.request.user).order_by("name", "pk")


@_described(_("Programmes"), _("Programmes in your scope, with their milestones"), _("One programme"))
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProgrammeSerializer

    def get_queryset(self):
        milestones = Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk"))
        return programmes_visible(self.request.user).prefetch_related(milestones).order_by("-year", "pk")


@_described(_("Cases"), _("Audit cases in your scope"), _("One case with its deadlines"))
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = filters.CaseFilter

    def get_serializer_class(self):
        return serializers.CaseDetailSerializer if self.action == "retrieve" else serializers.CaseSerializer

    def get_queryset(self):
        qs = (
            cases_visible(self.request.user)
            .select_related("enterprise", "listing")
            .order_by("next_due_on", "pk")
        )
        if self.action == "retrieve":
            deadlines = Prefetch("deadlines", queryset=CaseDeadline.objects.order_by("due_on", "pk"))
            qs = qs.prefetch_related(deadlines)
        return qs
