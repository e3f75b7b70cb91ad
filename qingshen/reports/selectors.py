from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import Delegation, Option
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


def summary_enterprise_rows(*, cases, programme) -> QuerySet:
    """The per-enterprise sheet of 附件3: the programme's visible cases with their options totals and
    the agency entrusted today, in a fixed number of queries (subqueries, no join fan-out)."""
    today = timezone.localdate()
    options = Option.objects.filter(case=OuterRef("pk")).exclude(status=Option.Status.DROPPED).order_by()
    agency = (
        Delegation.objects.filter(case=OuterRef("pk"), revoked_at__isnull=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-starts_on", "-pk")
        .values("agency__name")[:1]
    )
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))
    return (
        # 附件3 is the mandatory programme's: voluntary audits are not its enterprises.
        cases.filter(programme=programme, kind=CaseKind.MANDATORY)
        .select_related("enterprise", "jurisdiction", "listing")
        .annotate(
            options_count=Coalesce(
                Subquery(options.values("case").annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            options_investment=Coalesce(
                Subquery(options.values("case").annotate(s=Sum("investment")).values("s")[:1]), zero
            ),
            agency_name=Subquery(agency),
        )
        .order_by("jurisdiction_path", "enterprise__name", "pk")
    )


def summary_voluntary_rows(*, cases, programme) -> QuerySet:
    """The voluntary audits (自愿审核) of the programme's city and year among the visible cases, one row
    each, for the export's voluntary sheet."""
    return (
        cases.filter(programme=programme, kind=CaseKind.VOLUNTARY)
        .select_related("enterprise", "jurisdiction")
        .order_by("jurisdiction_path", "enterprise__name", "pk")
    )


def entered_latest(*, user, area=None, year: int | None = None) -> list[dict]:
    """The latest entered summary row of each district and year before the system that the user sees:
    [{programme_id, year, path, figures}], one query. They stand in for what the cases of those years
    show (the history import may hold only some of them)."""
    latest = SummaryFiling.objects.filter(
        programme=OuterRef("programme"), district=OuterRef("district"), source=SummaryFiling.Source.ENTERED
    ).order_by("-filed_at", "-pk")
    qs = scoping.filings_visible(user).filter(
        source=SummaryFiling.Source.ENTERED, programme__historical=True, pk=Subquery(latest.values("pk")[:1])
    )
    if area is not None:
        qs = qs.filter(district__path__startswith=area.path)
    if year is not None:
        qs = qs.filter(programme__year=year)
    return list(
        qs.order_by().values("programme_id", "figures", year=F("programme__year"), path=F("district__path"))
    )
