"""Summary tables (computed and filed) and the dashboard, through reports.scoping: the same figures
as the summary page and the dashboard page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response

from qingshen.api.reads.base import OneObjectSchema, allowed_if, described
from qingshen.api.serializers_reports import (
    DashboardSerializer,
    FilingSerializer,
    SummarySerializer,
    dashboard_data,
    summary_data,
)
from qingshen.cases import scoping as cases_scoping
from qingshen.programmes import selectors as programme_selectors
from qingshen.reports import figures as summary
from qingshen.reports import scoping, selectors
from qingshen.reports.dashboard import dashboard_cached
from qingshen.reports.dashboard_filter import DashboardFilter

TAG = _("Summaries and dashboard")


class SummaryViewSet(viewsets.ViewSet):
    # /summaries/{programme id}/: the programme's summary table (附件3) computed now.

    @extend_schema(
        tags=[TAG],
        summary=_("A published programme's summary table (Annex 3), computed now, per district row"),
        description=_(
            "Each row carries the district's latest filed snapshot and the columns that changed since. "
            "Rows and figures are those of your scope."
        ),
        parameters=[
            OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Programme id"))
        ],
        responses=SummarySerializer,
    )
    def retrieve(self, request, pk=None):
        programme = programme_selectors.programme_get(user=request.user, pk=_int(pk))
        if programme is None or not scoping.may_see_summary(request.user, programme):
            raise exceptions.NotFound()
        table = summary.summary_table(
            programme=programme,
            cases=cases_scoping.cases_visible(request.user),
            counts=scoping.counts_visible(request.user),
            districts=scoping.summary_districts_visible(request.user, programme),
        )
        filings = selectors.filings_latest(user=request.user, programme=programme)
        data = summary_data(programme, table, filings)
        return Response(SummarySerializer(data, context={"request": request}).data)


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise exceptions.NotFound() from None


@described(TAG, _("Filed summary rows (frozen snapshots) in your scope"), _("One filed summary row"))
class FilingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FilingSerializer
    filterset_fields = ["programme", "district"]

    def get_queryset(self):
        return (
            scoping.filings_visible(self.request.user)
            .select_related("district", "milestone")
            .order_by("programme_id", "district__path", "-filed_at", "-pk")
        )


class DashboardViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    # /dashboard/: one object, not a list; narrowed by year and by a jurisdiction just below yours.

    serializer_class = DashboardSerializer
    schema = OneObjectSchema()
    pagination_class = None
    filter_backends = []
    permission_classes = allowed_if(scoping.may_see_dashboard)

    @extend_schema(
        tags=[TAG],
        summary=_("The dashboard's headline figures and charts"),
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description=_("Programme year")),
            OpenApiParameter(
                "district", OpenApiTypes.INT, description=_("A jurisdiction just below yours (404 otherwise)")
            ),
        ],
        responses=DashboardSerializer,
    )
    def list(self, request):
        form = DashboardFilter(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            if form.out_of_scope:
                raise exceptions.NotFound()
            raise exceptions.ValidationError(form.errors)
        board = dashboard_cached(user=request.user, **form.chosen())
        return Response(DashboardSerializer(dashboard_data(board)).data)
