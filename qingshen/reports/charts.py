"""What the dashboard draws: each chart a small table of numbers (its data table and .xlsx alike), and
the headline figures it opens with."""

import dataclasses
from decimal import Decimal

from qingshen.cases.models import Indicator
from qingshen.core.numbers import Figure, rounded


@dataclasses.dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar", "stack" (stacked bar), "line"
    category_label: str
    categories: list[str]
    series: list[tuple[str, list]]  # (name, one value per category)
    units: list[str | None] | None = None  # per series; None: counts
    row_units: list[str | None] | None = None  # per category, where the unit goes with the row

    def unit_of(self, row: int, column: int) -> str | None:
        if self.row_units is not None:
            return self.row_units[row]
        return self.units[column] if self.units else None

    def rows(self) -> list[list]:
        """One row per category: its name, then a Figure per series (text and .xlsx cell alike)."""
        return [
            [c, *[Figure(s[1][i], self.unit_of(i, j)) for j, s in enumerate(self.series)]]
            for i, c in enumerate(self.categories)
        ]

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "kind": self.kind,
            "categories": self.categories,
            "series": [
                {"name": n, "data": [float(rounded(v, self.unit_of(i, j))) for i, v in enumerate(values)]}
                for j, (n, values) in enumerate(self.series)
            ],
        }


@dataclasses.dataclass
class Headline:
    """The figures the dashboard opens with, from the charts' own queries."""

    listed: int
    overdue: int
    evaluation_rate: Decimal | None  # percent of concluded evaluations passed; None when none held
    acceptance_rate: Decimal | None
    investment_planned: Decimal
    investment_implemented: Decimal
    reductions: list[tuple[Indicator, Decimal, Decimal]]  # (indicator, expected, verified), not zero
    # Group audits apart from the cases listed (their lead's case is not among them), and their member
    # enterprises, each once.
    groups: int = 0
    group_members: int = 0


@dataclasses.dataclass
class Dashboard:
    headline: Headline
    charts: list[Chart]
