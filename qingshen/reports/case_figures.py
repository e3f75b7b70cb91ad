"""The summary table's figures of the cases themselves (listed, steps, overdue, lead, grounds, level),
from the case counts kept per programme and jurisdiction (cases.counts): a few rows per district
whatever the number of cases, grouped by path or by lead authority in Python."""

import datetime

from django.db.models import F, Q, Sum

from qingshen.cases.counts import counted_rows, listed
from qingshen.cases.states import State
from qingshen.reviews.models import Review

SUMS = ("cases", "accepted", "disclosed", "started", "reports", "carried_over")


def count_rows(*, counts=None, cases=None, programme, kind: str, today: datetime.date) -> list[dict]:
    """The counts of the programme's cases of `kind`: from `counts` (CaseCount rows the caller may see),
    or else grouped from `cases` the same way (what the counts are kept equal to)."""
    if counts is not None:
        return list(
            counts.filter(cell__programme=programme, cell__case_kind=kind)
            .order_by()
            .values("jurisdiction_path", "state", "grounds", "level", lead=F("lead_authority"))
            # Only open cases carry a due date in the counts: due before today is overdue.
            .annotate(n_overdue=Sum("cases", filter=Q(due_on__lt=today)), **{f"n_{k}": Sum(k) for k in SUMS})
        )
    rows = counted_rows(cases.filter(programme=programme, kind=kind), today)
    out = []
    for r in rows:
        lead, grounds, carried = listed(r)
        out.append(
            {
                "jurisdiction_path": r["jurisdiction_path"],
                "state": r["state"],
                "lead": lead,
                "grounds": grounds,
                "level": r["level"] or "",
                "n_overdue": r["n"] if r["due"] is not None and r["due"] < today else 0,
                "n_cases": r["n"],
                "n_accepted": r["accepted"],
                "n_disclosed": r["disclosed"],
                "n_started": r["started"],
                "n_reports": r["reports"],
                "n_carried_over": r["n"] if carried else 0,
            }
        )
    return out


def case_figures(rows, by: str = "jurisdiction_path") -> dict[str, dict]:
    """{path or lead: figures} of the summary's case columns, from count_rows."""
    out: dict[str, dict] = {}
    for r in rows:
        n = r["n_cases"]
        figures = out.setdefault(r[by], {})

        def add(key, value, figures=figures):
            figures[key] = figures.get(key, 0) + value

        add("listed", n)
        add("disclosed", r["n_disclosed"])
        add("started", r["n_started"])
        add("reports", r["n_reports"])
        add("carried_over", r["n_carried_over"])
        add("overdue", r["n_overdue"] or 0)
        add("not_assessable", n if r["state"] == State.WITHDRAWN else 0)
        if r["lead"]:
            add(f"lead_{r['lead']}", n)
        if r["level"]:
            add(f"level_{r['level']}", n)
        for g in r["grounds"] or []:
            add(f"ground_{g}", n)
    return out


def review_figures(reviews, *, programme, kind: str, by: str = "jurisdiction_path") -> dict[str, dict]:
    """{path or lead: figures} of the summary's review columns from the review counts (ReviewCount) the
    caller may see: the reviews of the programme's own cases, and those concluded in its year for the
    cases carried over from the city's earlier programmes (counted again as carried)."""
    own = Q(cell__programme=programme)
    earlier = Q(
        cell__programme__city_id=programme.city_id,
        cell__programme__year__lt=programme.year,
        concluded_year=programme.year,
    )
    rows = (
        reviews.filter(own | earlier, cell__case_kind=kind)
        .order_by()
        .values(by, "kind", "outcome", programme_id=F("cell__programme_id"))
        .annotate(n=Sum("reviews"))
    )
    out: dict[str, dict] = {}
    for r in rows:
        prefix = "evaluations" if r["kind"] == "evaluation" else "acceptances"
        figures = out.setdefault(r[by], {})
        n = r["n"]
        for key, value in (
            ("", n),
            ("_passed", n if r["outcome"] == Review.Outcome.PASS else 0),
            ("_failed", n if r["outcome"] == Review.Outcome.FAIL else 0),
            ("_carried", n if r["programme_id"] != programme.pk else 0),
        ):
            figures[prefix + key] = figures.get(prefix + key, 0) + value
    return out


def accountability_figures(
    records, *, programme, kind: str, by: str = "jurisdiction_path"
) -> dict[str, dict]:
    """{path or lead: {"accountability": n}} from the accountability counts (AccountabilityCount)."""
    rows = (
        records.filter(cell__programme=programme, cell__case_kind=kind)
        .order_by()
        .values(by)
        .annotate(n=Sum("records"))
    )
    return {r[by]: {"accountability": r["n"]} for r in rows}
