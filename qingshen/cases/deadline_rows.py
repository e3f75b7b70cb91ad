"""Deadline rows written in bulk without the ORM's per-row work (the history import's many rows)."""

from qingshen.cases.models import CaseDeadline
from qingshen.core.bulk_rows import rows_insert

DEADLINE_COLUMNS = (
    "case_id",
    "kind",
    "party",
    "rule_code",
    "starts_on",
    "due_on",
    "provisional",
    "status",
    "met_on",
    "label",  # a rule duty's row names no programme date (milestone_id stays NULL)
)


def deadline_rows_insert(with_deadlines) -> None:
    """The import's deadline rows (several per case, the bulk of its rows) in bulk (core.bulk_rows): plain
    columns, so the ORM's per-field compilation of bulk_create is skipped. Dates go as ISO text, which
    both backends store as the date."""
    params = [
        (
            case.pk,
            row.kind,
            row.party,
            row.rule_code,
            row.starts_on.isoformat(),
            row.due_on.isoformat(),
            row.provisional,
            row.status,
            row.met_on.isoformat() if row.met_on else None,
            "",
        )
        for case, mine in with_deadlines
        for row in mine
    ]
    rows_insert(CaseDeadline, DEADLINE_COLUMNS, params)
