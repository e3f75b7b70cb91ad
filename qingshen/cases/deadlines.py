"""Which deadlines a case has, computed from its step dates and the time-limit rules.

Each row: the duty, whose duty it is, the rule that sets its length, the date field that starts the
period and the date field that shows it was met. A period restarts when its start date moves (a
refused application applied for again), so a duty is met only by a step on or after its start.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.cases.states import CLOSED_STATES
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
    ),
    DeadlineRule(
        Kind.EVALUATION_REVIEW,
        "bureau",
        "evaluation_review_due",
        "evaluation_applied_on",
        "evaluation_concluded_on",
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
    ),
    DeadlineRule(
        Kind.ACCEPTANCE_REVIEW,
        "bureau",
        "acceptance_review_due",
        "acceptance_applied_on",
        "acceptance_concluded_on",
    ),
)
RULE_CODES = {d.rule_code for d in DEADLINE_RULES}


def deadlines_recompute(case: AuditCase, *, calendar: WorkCalendar | None = None) -> list[CaseDeadline]:
    """Bring the case's CaseDeadline rows and its next_due_* columns up to date. Caller saves nothing."""
    calendar = calendar or WorkCalendar()
    rules = rules_by_code(RULE_CODES)
    existing = {d.kind: d for d in case.deadlines.all()}
    closed = case.state in CLOSED_STATES
    result = []
    for spec in DEADLINE_RULES:
        start: datetime.date | None = getattr(case, spec.starts)
        if start is None or spec.rule_code not in rules:
            continue
        due = due_from(rule=rules[spec.rule_code], start=start, calendar=calendar)
        met: datetime.date | None = getattr(case, spec.met_by)
        if met is not None and met >= start:
            status, met_on = CaseDeadline.Status.MET, met
        elif closed:
            status, met_on = CaseDeadline.Status.WAIVED, None
        else:
            status, met_on = CaseDeadline.Status.OPEN, None
        values = {
            "party": spec.party,
            "rule_code": spec.rule_code,
            "starts_on": start,
            "due_on": due.date,
            "provisional": due.provisional,
            "status": status,
            "met_on": met_on,
        }
        row = existing.get(spec.kind)
        if row is None:
            row = CaseDeadline.objects.create(case=case, kind=spec.kind, **values)
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
        result.append(row)
    open_rows = sorted((r for r in result if r.status == CaseDeadline.Status.OPEN), key=lambda r: r.due_on)
    case.next_due_on = open_rows[0].due_on if open_rows else None
    case.next_due_kind = open_rows[0].kind if open_rows else ""
    return result


def days_left(due_on: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Days until `due_on` (negative when overdue)."""
    if due_on is None:
        return None
    return (due_on - (today or timezone.localdate())).days
