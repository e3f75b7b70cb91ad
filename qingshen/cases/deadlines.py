"""Which deadlines a case has, computed from its step dates and the time-limit rules.

Each row: the duty, whose duty it is, the rule that sets its length, the date field that starts the
period and the date field that shows it was met. A period restarts when its start date moves (a
refused application applied for again), so a duty is met only by a step on or after its start.

A programme's own dates (milestones "evaluations done by", "acceptances done by") are rows too, written by
programmes (cases.milestone_deadlines); here only their status follows the case's steps.
"""

import datetime
from dataclasses import dataclass

from django.db import router
from django.utils import timezone

from qingshen.cases.kinds import kind_is_listed
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.cases.states import CLOSED_STATES
from qingshen.core.plain_reads import columns, instances
from qingshen.procedures.rules import due_from, rules_by_code
from qingshen.procedures.workcalendar import WorkCalendar

Kind = CaseDeadline.Kind


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    party: str  # "enterprise" or "bureau"
    rule_code: str
    starts: str  # AuditCase date field
    met_by: str  # AuditCase date field
    # A duty of the annual list (cases.kinds.LISTED_KINDS): a voluntary case does not owe it. The bureau's
    # handling of an application the enterprise made binds every case.
    listed_only: bool = True

    def binds(self, case_kind: str) -> bool:
        return not self.listed_only or kind_is_listed(case_kind)


DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    DeadlineRule(Kind.DISCLOSURE, "enterprise", "disclosure_due", "published_on", "disclosed_on"),
    DeadlineRule(Kind.AUDIT_START, "enterprise", "audit_start_due", "published_on", "audit_started_on"),
    DeadlineRule(Kind.REPORT, "enterprise", "report_due", "published_on", "report_submitted_on"),
    DeadlineRule(
        Kind.EVALUATION_CHECK,
        "bureau",
        "application_check_due",
        "evaluation_applied_on",
        "evaluation_checked_on",
        listed_only=False,
    ),
    DeadlineRule(
        Kind.EVALUATION_REVIEW,
        "bureau",
        "evaluation_review_due",
        "evaluation_applied_on",
        "evaluation_concluded_on",
        listed_only=False,
    ),
    # 追责情形 2: once the audit is finished (report submitted), an evaluation must be organised in time;
    # the enterprise's application is what opens the review (its check and review have their own limits).
    DeadlineRule(
        Kind.EVALUATION_ORGANISE,
        "bureau",
        "evaluation_organise_due",
        "report_submitted_on",
        "evaluation_applied_on",
    ),
    DeadlineRule(
        Kind.ACCEPTANCE_APPLY,
        "enterprise",
        "acceptance_apply_due",
        "evaluation_passed_on",
        "acceptance_applied_on",
    ),
    DeadlineRule(
        Kind.ACCEPTANCE_CHECK,
        "bureau",
        "application_check_due",
        "acceptance_applied_on",
        "acceptance_checked_on",
        listed_only=False,
    ),
    DeadlineRule(
        Kind.ACCEPTANCE_REVIEW,
        "bureau",
        "acceptance_review_due",
        "acceptance_applied_on",
        "acceptance_concluded_on",
        listed_only=False,
    ),
    # The same for the acceptance, from the evaluation's pass (implementation starts).
    DeadlineRule(
        Kind.ACCEPTANCE_ORGANISE,
        "bureau",
        "acceptance_organise_due",
        "evaluation_passed_on",
        "acceptance_applied_on",
    ),
)
RULE_CODES = {d.rule_code for d in DEADLINE_RULES}
# The step dates in lifecycle order. A case imported from history may know a later step's date but not
# an earlier one's (the evaluation's, not the report's): a duty whose step is followed by a recorded
# later step was done, date unknown, and is no longer due. A live case never skips a date.
STEP_ORDER = (
    "disclosed_on",
    "audit_started_on",
    "report_submitted_on",
    "evaluation_applied_on",
    "evaluation_checked_on",
    "evaluation_concluded_on",
    "acceptance_applied_on",
    "acceptance_checked_on",
    "acceptance_concluded_on",
    "accepted_on",
    "result_published_on",
)


def _computed(
    case: AuditCase, rules: dict, calendar: WorkCalendar, memo: dict | None = None
) -> dict[str, dict]:
    """Each duty's row values (without the case) from the case's dates, by kind. `memo` keeps the due
    dates computed so far by (rule, start), for many cases at once (an import's share their dates)."""
    closed = case.state in CLOSED_STATES
    out = {}
    for spec in DEADLINE_RULES:
        start: datetime.date | None = getattr(case, spec.starts)
        if start is None or spec.rule_code not in rules or not spec.binds(case.kind):
            continue
        if spec.kind == Kind.ACCEPTANCE_APPLY and case.acceptance_due_on:
            # The time limit set with the evaluation opinion replaces the rule's period.
            due_on, provisional = case.acceptance_due_on, False
        else:
            key = (spec.rule_code, start)
            if memo is None or key not in memo:
                due = due_from(rule=rules[spec.rule_code], start=start, calendar=calendar)
                if memo is None:
                    memo = {}
                memo[key] = (due.date, due.provisional)
            due_on, provisional = memo[key]
            if (
                spec.kind == Kind.ACCEPTANCE_ORGANISE
                and case.acceptance_due_on
                and "acceptance_apply_due" in rules
            ):
                # Organising follows the enterprise's own time limit by the rules' margin after it.
                apply_by = due_from(rule=rules["acceptance_apply_due"], start=start, calendar=calendar).date
                due_on = max(due_on, case.acceptance_due_on + (due_on - apply_by))
        met: datetime.date | None = getattr(case, spec.met_by)
        if met is not None and met >= start:
            status, met_on = CaseDeadline.Status.MET, met
        elif closed or _later_step_recorded(case, spec.met_by, start):
            status, met_on = CaseDeadline.Status.WAIVED, None
        else:
            status, met_on = CaseDeadline.Status.OPEN, None
        out[spec.kind] = {
            "party": spec.party,
            "rule_code": spec.rule_code,
            "starts_on": start,
            "due_on": due_on,
            "provisional": provisional,
            "status": status,
            "met_on": met_on,
        }
    return out


def _later_step_recorded(case: AuditCase, field: str, start: datetime.date) -> bool:
    """A step after `field`'s recorded in this period (an earlier round's dates do not count: a case
    applying again after a failed evaluation still owes the new check)."""
    later = STEP_ORDER[STEP_ORDER.index(field) + 1 :] if field in STEP_ORDER else ()
    return any((day := getattr(case, f)) is not None and day >= start for f in later)


def _next_due_set(case: AuditCase, rows) -> None:
    open_rows = sorted((r for r in rows if r.status == CaseDeadline.Status.OPEN), key=lambda r: r.due_on)
    case.next_due_on = open_rows[0].due_on if open_rows else None
    case.next_due_kind = open_rows[0].kind if open_rows else ""


# The bureau's duties whose warnings also go to the enterprise: its application is what they wait for.
ENTERPRISE_WARNED_KINDS = frozenset(
    {Kind.EVALUATION_ORGANISE, Kind.ACCEPTANCE_ORGANISE, Kind.MILESTONE_EVALUATION, Kind.MILESTONE_ACCEPTANCE}
)

# A programme date is met once the case's review of that stage has concluded (passed or failed: the
# date binds the holding of the review, a failed audit is redone under the rule deadlines).
MILESTONE_MET_BY = {
    Kind.MILESTONE_EVALUATION: "evaluation_concluded_on",
    Kind.MILESTONE_ACCEPTANCE: "acceptance_concluded_on",
}


def milestone_status(case: AuditCase, kind: str) -> tuple[str, datetime.date | None]:
    """(status, met on) of a programme date's row on this case."""
    met = getattr(case, MILESTONE_MET_BY[kind])
    if met is not None:
        return CaseDeadline.Status.MET, met
    if case.state in CLOSED_STATES:
        return CaseDeadline.Status.WAIVED, None
    return CaseDeadline.Status.OPEN, None


def _rows_of(case: AuditCase) -> list[CaseDeadline]:
    """The case's deadline rows, by due date (those prefetched with the case if they were): read at
    every step, by a plain statement (core.plain_reads)."""
    if "deadlines" in getattr(case, "_prefetched_objects_cache", {}):
        return list(case.deadlines.all())
    table = CaseDeadline._meta.db_table
    sql = f'SELECT {columns(CaseDeadline)} FROM "{table}" WHERE "case_id" = %s ORDER BY "due_on"'  # noqa: S608 (the model's names)
    rows = instances(CaseDeadline, sql, [case.pk], using=router.db_for_read(CaseDeadline, instance=case))
    for row in rows:
        row.case = case  # as the related manager gives them: no read of the case again
    return rows


def deadlines_recompute(case: AuditCase, *, calendar: WorkCalendar | None = None) -> list[CaseDeadline]:
    """Bring the case's CaseDeadline rows and its next_due_* columns up to date. Caller saves nothing."""
    calendar = calendar or WorkCalendar()
    rules = rules_by_code(RULE_CODES)
    rows = _rows_of(case)
    existing = {d.kind: d for d in rows if d.milestone_id is None}
    result, new = [], []
    for kind, values in _computed(case, rules, calendar).items():
        row = existing.get(kind)
        if row is None:
            row = CaseDeadline(case=case, kind=kind, **values)
            new.append(row)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
        result.append(row)
    if new:  # the duties a step opens (every one on a case made in bulk): one insert
        CaseDeadline.objects.bulk_create(new)
    for row in rows:
        if row.milestone_id is not None and row.kind in MILESTONE_MET_BY:
            status, met_on = milestone_status(case, row.kind)
            if (row.status, row.met_on) != (status, met_on):
                row.status, row.met_on = status, met_on
                row.save(update_fields=["status", "met_on"])
            result.append(row)
    _next_due_set(case, result)
    return result


def deadlines_of_new_cases(cases, *, calendar: WorkCalendar | None = None) -> list[tuple]:
    """(case, its unsaved deadline rows) for cases not saved yet, each case's next_due_* set: the
    set-based form of deadlines_recompute, for imports (the rows go in one bulk insert after the cases)."""
    calendar = calendar or WorkCalendar()
    rules = rules_by_code(RULE_CODES)
    rows, memo = [], {}
    for case in cases:
        mine = [
            CaseDeadline(kind=kind, **values)
            for kind, values in _computed(case, rules, calendar, memo).items()
        ]
        _next_due_set(case, mine)
        rows.append((case, mine))
    return rows


def days_left(due_on: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Days until `due_on` (negative when overdue)."""
    if due_on is None:
        return None
    return (due_on - (today or timezone.localdate())).days
