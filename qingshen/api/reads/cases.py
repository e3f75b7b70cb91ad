"""A case's documents, disclosure, options and benefits, through cases.scoping (whoever sees the case)."""

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.filters_reads import CaseRelatedFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_cases import DisclosureSerializer, DocumentSerializer, OptionSerializer
from qingshen.cases import scoping
from qingshen.cases.models import Benefit, Disclosure, Document, Option


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
