"""A round the bureau ran before the system: which state its known dates put it in (design.md §3).

The import knows the steps' dates and outcomes, not the applications between them; each outcome leads
where the lifecycle's own transition would (lifecycle.py): a failed evaluation back to auditing, a
failed acceptance back to implementing.
"""

import datetime
from dataclasses import dataclass

from qingshen.cases.states import State

PASSED, FAILED = "pass", "fail"


@dataclass(frozen=True)
class KnownDates:
    """What a bureau's spreadsheet says about one round (None / "" when it does not say)."""

    published_on: datetime.date
    disclosed_on: datetime.date | None = None
    audit_started_on: datetime.date | None = None
    report_submitted_on: datetime.date | None = None
    evaluation: str = ""  # PASSED, FAILED or ""
    evaluation_on: datetime.date | None = None
    acceptance_due_on: datetime.date | None = None
    acceptance: str = ""
    acceptance_on: datetime.date | None = None
    level: str = ""
    result_published_on: datetime.date | None = None
    withdrawn_on: datetime.date | None = None
    withdrawn_reason: str = ""


def implied_state(d: KnownDates) -> str:
    """The state the lifecycle would have reached through the steps these dates record."""
    if d.withdrawn_on:
        return State.WITHDRAWN
    if d.result_published_on:
        return State.PUBLISHED
    if d.acceptance == PASSED:
        return State.ACCEPTED
    if d.acceptance == FAILED or d.evaluation == PASSED:
        return State.IMPLEMENTING
    if d.evaluation == FAILED:
        return State.AUDITING
    if d.report_submitted_on:
        return State.REPORT_SUBMITTED
    if d.audit_started_on:
        return State.AUDITING
    if d.disclosed_on:
        return State.DISCLOSED
    return State.LISTED


def case_fields(d: KnownDates) -> dict:
    """The AuditCase date and outcome fields the known dates fill in (state apart)."""
    evaluated, accepted = d.evaluation_on if d.evaluation else None, d.acceptance_on if d.acceptance else None
    return {
        "published_on": d.published_on,
        "disclosed_on": d.disclosed_on,
        "audit_started_on": d.audit_started_on,
        "report_submitted_on": d.report_submitted_on,
        "evaluation_concluded_on": evaluated,
        "evaluation_passed_on": evaluated if d.evaluation == PASSED else None,
        "acceptance_due_on": d.acceptance_due_on,
        "acceptance_concluded_on": accepted,
        "accepted_on": accepted if d.acceptance == PASSED else None,
        "level": d.level,
        "result_published_on": d.result_published_on,
        "withdrawn_on": d.withdrawn_on,
        "withdrawn_reason": d.withdrawn_reason,
    }
