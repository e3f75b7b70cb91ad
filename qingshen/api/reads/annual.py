"""Annual disclosures (企业环境信息依法披露管理办法, 部令第24号, 第十四条): a case's yearly account of why it
was listed, how the audit went and the evaluation and acceptance results.

`/api/v1/annual-disclosures/` reads them, drafts included, through cases.scoping (whoever sees the
case: the enterprise its own, the bureau its subtree); `/api/v1/public/annual-disclosures/` reads the
submitted ones without a token, by year, with the public page's fields."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.filters_reads import CaseRelatedFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_public import DisclosureItemSerializer
from qingshen.cases import annual_disclosures as annual
from qingshen.cases import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.models import AnnualDisclosure
from qingshen.cases.states import level_label


class StepSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    day = serializers.DateField()


class AnnualBaseSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="case.enterprise.name", read_only=True)
    enterprise_uscc = serializers.CharField(source="case.enterprise.uscc", read_only=True)
    district_name = serializers.CharField(source="case.jurisdiction.local_name", read_only=True)
    list_year = serializers.IntegerField(source="case.programme.year", read_only=True)
    due_on = serializers.SerializerMethodField(help_text=_("The day this year's disclosure is due."))
    items = serializers.SerializerMethodField(help_text=_("The items of Art. 14 in the order of the form."))
    steps = serializers.SerializerMethodField(
        help_text=_("The case's steps by the end of the year, as disclosed.")
    )
    level = serializers.SerializerMethodField(help_text=_("The level reached, as disclosed."))

    BASE_FIELDS = [
        "id",
        "enterprise_name",
        "enterprise_uscc",
        "district_name",
        "list_year",
        "year",
        "submitted_on",
        "due_on",
        "items",
        "steps",
        "level",
    ]

    def get_due_on(self, obj) -> str | None:
        day = annual.due_on(obj.year)
        return day.isoformat() if day else None

    @extend_schema_field(DisclosureItemSerializer(many=True))
    def get_items(self, obj):
        return [{"key": k, "label": str(label), "value": obj.content.get(k, "")} for k, label in annual.ITEMS]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, obj):
        return [
            {"step": field, "label": str(annual.STEP_LABELS.get(field, field)), "day": day}
            for field, day in obj.facts.get("steps", [])
        ]

    def get_level(self, obj) -> str:
        return str(level_label(obj.facts.get("level", "")) or "")


class PublicAnnualSerializer(AnnualBaseSerializer):
    class Meta:
        model = AnnualDisclosure
        fields = AnnualBaseSerializer.BASE_FIELDS


class AnnualSerializer(AnnualBaseSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AnnualDisclosure
        fields = [
            *AnnualBaseSerializer.BASE_FIELDS,
            "case",
            "status",
            "status_display",
            "updated_at",
        ]


class AnnualFilter(CaseRelatedFilter):
    year = WholeNumberFilter(field_name="year", label=_("Year disclosed"))
    status = django_filters.ChoiceFilter(choices=AnnualDisclosure.Status.choices, label=_("Status"))

    class Meta:
        model = AnnualDisclosure
        fields = ["case", "year", "status"]


class PublicAnnualFilter(django_filters.FilterSet):
    year = WholeNumberFilter(field_name="year", label=_("Year disclosed"))

    class Meta:
        model = AnnualDisclosure
        fields = ["year"]


RELATED = ("case__enterprise", "case__jurisdiction", "case__programme")


@described(
    _("Annual disclosures"),
    _("Annual disclosures (部令第24号 Art. 14) of the cases in your scope, drafts included"),
    _("One annual disclosure"),
)
class AnnualDisclosureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AnnualSerializer
    filterset_class = AnnualFilter

    def get_queryset(self):
        return (
            scoping.annual_disclosures_visible(self.request.user)
            .select_related(*RELATED)
            .order_by("-year", "case__enterprise__name", "pk")
        )


class YearsSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(), help_text=_("Newest first."))


@described(
    _("Public data (no token)"),
    _("Published annual disclosures (部令第24号 Art. 14), newest year first; ?year= for one year"),
    _("One published annual disclosure"),
    years=_("The years with published annual disclosures"),
)
class PublicAnnualDisclosureViewSet(viewsets.ReadOnlyModelViewSet):
    # No authentication and no token: anyone may read (a token sent along is not looked at).
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    serializer_class = PublicAnnualSerializer
    filterset_class = PublicAnnualFilter

    def get_queryset(self):
        return (
            scoping.annual_disclosures_public()
            .select_related(*RELATED)
            .order_by("-year", "case__enterprise__name", "pk")
        )

    @extend_schema(responses=YearsSerializer, filters=False)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def years(self, request):
        return Response(YearsSerializer({"years": case_selectors.annual_public_years()}).data)
