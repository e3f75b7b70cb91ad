"""The sweep's late annual disclosure warnings (部令第24号 第十四条): a year a mandatory-audit case must
disclose (cases.annual_disclosures.disclosure_years) whose disclosure is not submitted by its due date
(the rules annual_disclosure_due_month and _day, in the next year). One statement per year overdue,
whatever the number of cases; idempotent (one warning per case and year)."""

import datetime

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from qingshen.trail.services import event_record


def _years_after_acceptance() -> int:
    from qingshen.cases.annual_rules import YEARS_AFTER_ACCEPTANCE
    from qingshen.procedures.rules import rules_by_code

    rule = rules_by_code([YEARS_AFTER_ACCEPTANCE]).get(YEARS_AFTER_ACCEPTANCE)
    return rule.amount if rule is not None else 0


def annual_warnings_record(*, today: datetime.date | None = None) -> int:
    """Record a warning for each case and past year whose disclosure was due before today and is not
    submitted; returns how many were recorded. A year whose due date fell before the case was imported
    from history is not the system's to warn of."""
    from qingshen.cases.annual_disclosures import due_on
    from qingshen.cases.kinds import CaseKind
    from qingshen.cases.models import AnnualDisclosure, AuditCase
    from qingshen.oversight.models import AnnualDisclosureWarning

    today = today or timezone.localdate()
    first = AuditCase.objects.filter(kind=CaseKind.MANDATORY).aggregate(first=Min("published_on"))["first"]
    if first is None:
        return 0
    after = _years_after_acceptance()
    now = timezone.now()
    w, c_table = AnnualDisclosureWarning._meta.db_table, AuditCase._meta.db_table
    a_table = AnnualDisclosure._meta.db_table
    # Table names come from model meta; every value is a parameter.
    sql = f"""
        INSERT INTO {w} (enterprise_id, case_id, year, due_on, jurisdiction_path, recorded_at)
        SELECT c.enterprise_id, c.id, %s, %s, c.jurisdiction_path, %s
        FROM {c_table} c
        WHERE c.kind = %s AND c.published_on <= %s
          AND (c.accepted_on IS NULL OR c.accepted_on >= %s)
          AND (c.withdrawn_on IS NULL OR c.withdrawn_on >= %s)
          AND (c.history_imported_on IS NULL OR c.history_imported_on <= %s)
          AND NOT EXISTS (SELECT 1 FROM {a_table} a WHERE a.case_id = c.id AND a.year = %s AND a.status = %s)
          AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.case_id = c.id AND x.year = %s)
        ON CONFLICT DO NOTHING"""  # noqa: S608
    recorded = 0
    by_year = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for year in range(first.year, today.year):
            due = due_on(year)
            if due is None or due >= today:
                continue
            cursor.execute(
                sql,
                [
                    year,
                    due,
                    now,
                    CaseKind.MANDATORY,
                    datetime.date(year, 12, 31),
                    datetime.date(year - after, 1, 1),
                    datetime.date(year, 1, 1),
                    due,
                    year,
                    AnnualDisclosure.Status.SUBMITTED,
                    year,
                ],
            )
            n = max(cursor.rowcount, 0)
            if n:
                by_year[str(year)] = n
                recorded += n
        if recorded:
            event_record(
                action="oversight.annual_warnings.record",
                actor_name="sweep",
                after={"on": str(today), **by_year},
            )
    return recorded
