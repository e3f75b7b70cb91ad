"""The sweep's permit warnings: for every open audit round, the enterprise's discharge permit is
missing, expired, or expires within the notice period of the rule PERMIT_RENEWAL_RULE (the 条例 asks
for renewal that many days before the end). Idempotent: each warning is recorded once."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from qingshen.procedures.rules import rules_by_code
from qingshen.trail.services import event_record

PERMIT_RENEWAL_RULE = "permit_renewal_notice"
PERMIT_RULES = [
    {
        "code": PERMIT_RENEWAL_RULE,
        "name": "排污许可证有效期届满前申请延续时限（预警）",
        "amount": 60,
        "unit": "days",
        "basis": "U",
        "roll_forward": False,
        "source": "《排污许可管理条例》（国务院令第736号）第十四条：排污许可证有效期届满，排污单位需要继续排放污染物的，"
        "应当于排污许可证有效期届满60日前向审批部门提出申请。清审于届满前该日数起预警（未见原文核对，由市局修改）[U]。",
    }
]


def permit_notice_days() -> int:
    """How many days before its end a permit counts as expiring (the rule PERMIT_RENEWAL_RULE)."""
    # The seeded figure if the row is gone (a flushed database): a warning must not stop the sweep.
    rule = rules_by_code([PERMIT_RENEWAL_RULE]).get(PERMIT_RENEWAL_RULE)
    return rule.amount if rule is not None else PERMIT_RULES[0]["amount"]


def _insert(cursor, kind: str, today: datetime.date, notice_days: int, now) -> int:
    """One INSERT … SELECT over every open round for one kind; the anti-join skips what is recorded and
    ON CONFLICT covers a concurrent sweep. Of an enterprise's permits: none in force and none ended is
    MISSING (one that only starts later still leaves today without one); none in force is EXPIRED, of
    the latest ended (by end, then id); the latest-ending in force, within the notice period and not
    followed by a renewal, is EXPIRING."""
    from qingshen.cases.models import AuditCase
    from qingshen.cases.states import CLOSED_STATES
    from qingshen.oversight.models import PermitWarning
    from qingshen.registry.models import Permit

    w, c_table, p_table = PermitWarning._meta.db_table, AuditCase._meta.db_table, Permit._meta.db_table
    closed = sorted(CLOSED_STATES)
    marks = ", ".join(["%s"] * len(closed))
    # Table names come from model meta; every value is a parameter.
    if kind == PermitWarning.Kind.MISSING:
        sql = f"""
            INSERT INTO {w} (enterprise_id, case_id, permit_id, kind, due_on, jurisdiction_path, recorded_at)
            SELECT c.enterprise_id, c.id, NULL, %s, %s, c.jurisdiction_path, %s
            FROM {c_table} c
            WHERE c.state NOT IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM {p_table} q WHERE q.enterprise_id = c.enterprise_id
                              AND ((q.valid_from <= %s AND q.valid_to >= %s) OR q.valid_to < %s))
              AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.case_id = c.id AND x.permit_id IS NULL
                              AND x.kind = %s)
            ON CONFLICT DO NOTHING"""  # noqa: S608
        params = [kind, today, now, *closed, today, today, today, kind]
    elif kind == PermitWarning.Kind.EXPIRED:
        sql = f"""
            INSERT INTO {w} (enterprise_id, case_id, permit_id, kind, due_on, jurisdiction_path, recorded_at)
            SELECT c.enterprise_id, c.id, e.id, %s, e.valid_to, c.jurisdiction_path, %s
            FROM {c_table} c JOIN {p_table} e ON e.id = (
                SELECT p.id FROM {p_table} p WHERE p.enterprise_id = c.enterprise_id AND p.valid_to < %s
                ORDER BY p.valid_to DESC, p.id DESC LIMIT 1)
            WHERE c.state NOT IN ({marks})
              AND NOT EXISTS (SELECT 1 FROM {p_table} q WHERE q.enterprise_id = c.enterprise_id
                              AND q.valid_from <= %s AND q.valid_to >= %s)
              AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.case_id = c.id AND x.permit_id = e.id
                              AND x.kind = %s)
            ON CONFLICT DO NOTHING"""  # noqa: S608
        params = [kind, now, today, *closed, today, today, kind]
    else:
        sql = f"""
            INSERT INTO {w} (enterprise_id, case_id, permit_id, kind, due_on, jurisdiction_path, recorded_at)
            SELECT c.enterprise_id, c.id, e.id, %s, e.valid_to, c.jurisdiction_path, %s
            FROM {c_table} c JOIN {p_table} e ON e.id = (
                SELECT p.id FROM {p_table} p WHERE p.enterprise_id = c.enterprise_id
                AND p.valid_from <= %s AND p.valid_to >= %s
                ORDER BY p.valid_to DESC, p.id DESC LIMIT 1)
            WHERE c.state NOT IN ({marks}) AND e.valid_to <= %s
              AND NOT EXISTS (SELECT 1 FROM {p_table} r WHERE r.enterprise_id = c.enterprise_id
                              AND r.valid_from > %s AND r.valid_to > e.valid_to)
              AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.case_id = c.id AND x.permit_id = e.id
                              AND x.kind = %s)
            ON CONFLICT DO NOTHING"""  # noqa: S608
        params = [kind, now, today, today, *closed, today + datetime.timedelta(days=notice_days), today, kind]
    cursor.execute(sql, params)
    return max(cursor.rowcount, 0)


def permit_warnings_record(*, today: datetime.date | None = None) -> dict[str, int]:
    """Record today's permit warnings of the open rounds, three statements whatever their number;
    returns counts by kind. Idempotent and safe concurrently (the partial unique constraints)."""
    from qingshen.oversight.models import PermitWarning

    today = today or timezone.localdate()
    notice_days = permit_notice_days()
    now = timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for kind in PermitWarning.Kind.values:
            n = _insert(cursor, kind, today, notice_days, now)
            if n:
                counts[kind] = n
        if counts:
            event_record(
                action="oversight.permit_warnings.record",
                actor_name="sweep",
                after={"on": str(today), **counts},
            )
    return counts
