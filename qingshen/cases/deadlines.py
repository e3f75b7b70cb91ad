"""Which deadlines a case has, computed from its step dates and the time-limit rules.

Each row: the duty, whose duty it is, the rule that sets its length, the date field that starts the
period and the date field that shows it was met. A period restarts when its start date moves (a
refused application applied for again), so a duty is met only by a step on or after its start.

A programme's own dates (milestones "evaluations done by", "acceptances done by") are rows too, written by
programmes (cases.milestone_deadlines); here only their status follows the case's steps.
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
    ),
    DeadlineRule(
        Kind.ACCEPTANCE_REVIEW,
        "bureau",
        "acceptance_review_due",
        "acceptance_applied_on",
        "acceptance_concluded_on",
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


def deadlines_recompute(case: AuditCase, *, calendar: WorkCalendar | None = None) -> list[CaseDeadline]:
    """Bring the case's CaseDeadline rows and its next_due_* columns up to date. Caller saves nothing."""
    calendar = calendar or WorkCalendar()
    rules = rules_by_code(RULE_CODES)
    rows = list(case.deadlines.all())
    existing = {d.kind: d for d in rows if d.milestone_id is None}
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
    for row in rows:
        if row.milestone_id is not None and row.kind in MILESTONE_MET_BY:
            status, met_on = milestone_status(case, row.kind)
            if (row.status, row.met_on) != (status, met_on):
                row.status, row.met_on = status, met_on
                row.save(update_fields=["status", "met_on"])
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
