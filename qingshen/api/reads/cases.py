"""A case's documents, disclosure, options and benefits, through cases.scoping (whoever sees the case)."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.filters_reads import CaseRelatedFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_cases import (
    BenefitTotalSerializer,
    DisclosureSerializer,
    DocumentSerializer,
    OptionSerializer,
    OptionTotalSerializer,
)
from qingshen.cases import scoping
from qingshen.cases.models import Benefit, BenefitRollup, Disclosure, Document, Option, OptionRollup


class DocumentFilter(CaseRelatedFilter):
    current = django_filters.BooleanFilter(
        field_name="superseded_by", lookup_expr="isnull", label=_("Current versions only")
    )

    class Meta:
        model = Document
        fields = ["case", "kind", "current"]


class DisclosureFilter(CaseRelatedFilter):
    class Meta:
        model = Disclosure
        fields = ["case", "status"]


class OptionFilter(CaseRelatedFilter):
    class Meta:
        model = Option
        fields = ["case", "cost_class", "status"]


@described(
    _("Documents"),
    _("Documents of the cases in your scope (metadata; the file through its download address)"),
    _("One document's metadata"),
)
class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self):
        return scoping.documents_visible(self.request.user).order_by("case_id", "kind", "-version", "pk")


@described(_("Disclosures"), _("Art. 11 disclosures of the cases in your scope"), _("One disclosure"))
class DisclosureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DisclosureSerializer
    filterset_class = DisclosureFilter

    def get_queryset(self):
        return scoping.disclosures_visible(self.request.user).order_by("case_id", "pk")


@described(
    _("Options and benefits"),
    _("Cleaner-production options of the cases in your scope, with their benefits"),
    _("One option with its benefits"),
)
class OptionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OptionSerializer
    filterset_class = OptionFilter

    def get_queryset(self):
        benefits = Prefetch(
            "benefits",
            queryset=Benefit.objects.select_related("indicator").order_by("indicator__sort_order", "pk"),
        )
        return (
            scoping.options_visible(self.request.user)
            .prefetch_related(benefits)
            .order_by("case_id", "cost_class", "code", "pk")
        )


class TotalsFilter(django_filters.FilterSet):
    programme = WholeNumberFilter(field_name="cell__programme_id", label=_("Programme id"))
    jurisdiction = WholeNumberFilter(field_name="cell__jurisdiction_id", label=_("Jurisdiction id"))


class OptionTotalsFilter(TotalsFilter):
    class Meta:
        model = OptionRollup
        fields = ["programme", "jurisdiction", "cost_class"]


class BenefitTotalsFilter(TotalsFilter):
    class Meta:
        model = BenefitRollup
        fields = ["programme", "jurisdiction", "indicator"]


@described(
    _("Options and benefits"),
    _("Option totals per programme and jurisdiction in your subtree, by cost class (authority staff)"),
    _("One programme and jurisdiction's option totals of one cost class"),
)
class OptionTotalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OptionTotalSerializer
    filterset_class = OptionTotalsFilter

    def get_queryset(self):
        return (
            scoping.rollups_visible(self.request.user, OptionRollup)
            .select_related("cell")
            .order_by("cell__programme_id", "cell__jurisdiction__path", "cost_class", "pk")
        )


@described(
    _("Options and benefits"),
    _("Benefit totals per programme and jurisdiction in your subtree, by indicator (authority staff)"),
    _("One programme and jurisdiction's benefit totals of one indicator"),
)
class BenefitTotalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BenefitTotalSerializer
    filterset_class = BenefitTotalsFilter

    def get_queryset(self):
        return (
            scoping.rollups_visible(self.request.user, BenefitRollup)
            .select_related("cell", "indicator")
            .order_by("cell__programme_id", "cell__jurisdiction__path", "indicator__sort_order", "pk")
        )
