"""The dashboard's figures (city, province, supervisor): each chart is a small table of numbers,
computed with a fixed number of aggregate queries whatever the number of cases."""

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts import scoping
from qingshen.accounts.models import Jurisdiction
from qingshen.cases.models import AuditCase, BenefitRollup, Indicator, Option, OptionRollup
from qingshen.cases.states import CLOSED_STATES, State
from qingshen.programmes.models import Programme
from qingshen.reviews.models import Review


@dataclasses.dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar", "stack" (stacked bar), "line"
    category_label: str
    categories: list[str]
    series: list[tuple[str, list]]  # (name, one value per category)

    def rows(self):
        return [[c, *[s[1][i] for s in self.series]] for i, c in enumerate(self.categories)]

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "categories": self.categories,
            "series": [{"name": n, "data": [float(v) for v in values]} for n, values in self.series],
        }


CHART_KEYS = ("stages", "overdue", "pass_rates", "options", "benefits", "trends", "oversight")


def _children(jurisdiction) -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(parent=jurisdiction).order_by("sort_order", "path"))


def _fold(rows, children, path_key):
    """Map each grouped row to the child whose path prefixes its jurisdiction path."""
    for r in rows:
        for i, child in enumerate(children):
            if r[path_key].startswith(child.path):
                yield i, r
                break


def dashboard(*, user, today: datetime.date | None = None) -> list[Chart]:
    today = today or timezone.localdate()
    children = _children(user.jurisdiction) or [user.jurisdiction]
    names = [c.name for c in children]
    closed = list(CLOSED_STATES)
    # Every aggregate joins to the case and filters on its path (scoping.case_scope), and groups by
    # columns of one covering index of cases (migration 00xx): no sub-select of case ids, no sort of
    # the case table. Related rows are grouped by programme id; years come from one small query.
    in_scope = scoping.case_scope(user)

    # Cases by child jurisdiction, stage and programme, with overdue and accepted counts: one query
    # feeds the stage, overdue and trend charts.
    by_stage = {s: [0] * len(children) for s in State.values}
    overdue = [0] * len(children)
    per_programme: dict[int, dict] = {}
    rows = (
        AuditCase.objects.filter(in_scope)
        .order_by()
        .values("jurisdiction_path", "state", "programme_id")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(next_due_on__lt=today) & ~Q(state__in=closed)),
            accepted=Count("pk", filter=Q(accepted_on__isnull=False)),
        )
    )
    for i, r in _fold(rows, children, "jurisdiction_path"):
        by_stage[r["state"]][i] += r["n"]
        overdue[i] += r["late"]
        t = per_programme.setdefault(r["programme_id"], {"listed": 0, "accepted": 0, "withdrawn": 0})
        t["listed"] += r["n"]
        t["accepted"] += r["accepted"]
        t["withdrawn"] += r["n"] if r["state"] == State.WITHDRAWN else 0
    stages = Chart(
        "stages",
        _("Cases by stage and district"),
        "stack",
        _("District"),
        names,
        [(str(State(s).label), v) for s, v in by_stage.items() if any(v)],
    )
    overdue_chart = Chart(
        "overdue", _("Overdue cases"), "bar", _("District"), names, [(_("Overdue"), overdue)]
    )

    # Evaluation and acceptance pass rates by year: one query.
    rows = list(
        Review.objects.filter(scoping.case_scope(user, "case__"), status=Review.Status.CONCLUDED)
        .order_by()
        .values("case__programme_id", "kind")
        .annotate(held=Count("pk"), passed=Count("pk", filter=Q(outcome=Review.Outcome.PASS)))
    )
    year_of = dict(
        Programme.objects.filter(
            pk__in={*per_programme, *(r["case__programme_id"] for r in rows)}
        ).values_list("pk", "year")
    )
    rates: dict[int, dict] = {}
    for r in rows:
        held = rates.setdefault(year_of[r["case__programme_id"]], {}).setdefault(r["kind"], [0, 0])
        held[0] += r["passed"]
        held[1] += r["held"]
    years = sorted(rates)

    def rate(year, kind):
        passed, held = rates[year].get(kind, (0, 0))
        return round(Decimal(100 * passed) / held, 1) if held else Decimal(0)

    pass_rates = Chart(
        "pass_rates",
        _("Pass rates (%)"),
        "line",
        _("Year"),
        [str(y) for y in years],
        [
            (_("Evaluation"), [rate(y, "evaluation") for y in years]),
            (_("Acceptance"), [rate(y, "acceptance") for y in years]),
        ],
    )

    # Options by cost class, planned and implemented, from the totals cells: one query.
    rows = {
        r["cost_class"]: r
        for r in scoping.rollups_visible(user, OptionRollup)
        .values("cost_class")
        .annotate(
            n=Sum("options"),
            inv=Sum("investment"),
            n_done=Sum("options_done"),
            inv_done=Sum("investment_done"),
        )
    }
    classes = list(Option.CostClass)
    options = Chart(
        "options",
        _("Options and investment (10k yuan)"),
        "bar",
        _("Cost class"),
        [str(c.label) for c in classes],
        [
            (_("Options planned"), [rows.get(c, {}).get("n", 0) for c in classes]),
            (_("Options implemented"), [rows.get(c, {}).get("n_done", 0) for c in classes]),
            (_("Investment planned"), [rows.get(c, {}).get("inv") or Decimal(0) for c in classes]),
            (_("Investment implemented"), [rows.get(c, {}).get("inv_done") or Decimal(0) for c in classes]),
        ],
    )

    # Benefits by indicator: two queries (indicators, sums).
    indicators = list(Indicator.objects.all())
    sums = {
        r["indicator_id"]: r
        for r in scoping.rollups_visible(user, BenefitRollup)
        .values("indicator_id")
        .annotate(expected=Sum("expected"), verified=Sum("verified"))
    }
    benefits = Chart(
        "benefits",
        _("Benefits per year"),
        "bar",
        _("Indicator"),
        [f"{i.name} ({i.unit})" for i in indicators],
        [
            (_("Expected"), [sums.get(i.pk, {}).get("expected") or Decimal(0) for i in indicators]),
            (_("Verified"), [sums.get(i.pk, {}).get("verified") or Decimal(0) for i in indicators]),
        ],
    )

    # Trends over the years, from the case query above.
    trend_years: dict[int, dict] = {}
    for pk, t in per_programme.items():
        into = trend_years.setdefault(year_of[pk], {"listed": 0, "accepted": 0, "withdrawn": 0})
        for k, v in t.items():
            into[k] += v
    rows = [trend_years[y] for y in sorted(trend_years)]
    trends = Chart(
        "trends",
        _("Cases over the years"),
        "line",
        _("Year"),
        [str(y) for y in sorted(trend_years)],
        [
            (_("Listed"), [r["listed"] for r in rows]),
            (_("Accepted"), [r["accepted"] for r in rows]),
            (_("Withdrawn"), [r["withdrawn"] for r in rows]),
        ],
    )

    # Warnings (the sweep stores each with its case's path) and accountability records of cases,
    # by child jurisdiction: one query each.
    warn, acc = [0] * len(children), [0] * len(children)
    for rows, into in (
        (
            scoping.warnings_visible(user)
            .filter(case__isnull=False)
            .order_by()
            .values(path=F("jurisdiction_path"))
            .annotate(n=Count("pk")),
            warn,
        ),
        (
            scoping.accountability_visible(user)
            .order_by()
            .values(path=F("case__jurisdiction_path"))
            .annotate(n=Count("pk")),
            acc,
        ),
    ):
        for i, r in _fold(rows, children, "path"):
            into[i] += r["n"]
    oversight = Chart(
        "oversight",
        _("Warnings and accountability cases"),
        "bar",
        _("District"),
        names,
        [(_("Warnings"), warn), (_("Accountability cases"), acc)],
    )
    return [stages, overdue_chart, pass_rates, options, benefits, trends, oversight]


def dashboard_cached(*, user) -> list[Chart]:
    """The dashboard figures, cached per scope until anything changes.

    Every change writes an Event (house rule), so the newest event id is the data version: a cached
    dashboard is reused only while no event has been written since. Bounded by
    settings.QINGSHEN_DASHBOARD_CACHE_SECONDS as well."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db.models import Max

    from qingshen.trail.models import Event

    seconds = settings.QINGSHEN_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return dashboard(user=user)
    version = Event.objects.aggregate(v=Max("pk"))["v"] or 0
    key = f"qingshen:dashboard:{user.role}:{user.jurisdiction_id}:{version}:{timezone.localdate()}"
    charts = cache.get(key)
    if charts is None:
        charts = dashboard(user=user)
        cache.set(key, charts, seconds)
    return charts
