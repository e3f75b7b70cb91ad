from django.db.models import OuterRef, QuerySet, Subquery

from qingshen.reports import scoping
from qingshen.reports.models import SummaryFiling


def filings_latest(*, user, programme) -> dict[int, SummaryFiling]:
    """The latest filing of each district row the user may see: {district id: filing}, one query."""
    districts = scoping.summary_districts_visible(user, programme)
    latest = SummaryFiling.objects.filter(programme=programme, district=OuterRef("district")).order_by(
        "-filed_at", "-pk"
    )
    qs: QuerySet = SummaryFiling.objects.filter(
        programme=programme, district__in=districts.values("pk"), pk=Subquery(latest.values("pk")[:1])
    ).select_related("filed_by", "milestone")
    return {f.district_id: f for f in qs}
