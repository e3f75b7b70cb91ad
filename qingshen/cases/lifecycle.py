"""The lifecycle as data: one row per transition (design.md §3, §7).

Executed only by services.case_transition. Each row: the action, the states it leaves, the state it
enters, the roles that may take it, what it requires (reason, document, level), the step date it
stamps, and the button label. Guards that need the database live in services.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import Role
from qingshen.cases.states import CLOSED_STATES, State

APPLICANTS = frozenset({Role.ENTERPRISE, Role.AGENCY})
BUREAU = frozenset({Role.CITY})
RESULT_PUBLISHERS = frozenset({Role.CITY, Role.PROVINCE})
# A conclusion is the panel's: its chair confirms the computed result (reviews.services); nobody passes or
# fails a case by hand.
CONCLUDERS = frozenset({Role.EXPERT})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    roles: frozenset
    label: Promise
    stamps: tuple[str, ...] = ()  # AuditCase date fields set to the step's date
    needs_reason: bool = False
    needs_document: bool = False
    needs_level: bool = False
    # Taken only by reviews.services with the panel's confirmed conclusion (pass/fail).
    needs_conclusion: bool = False
    # Taken from the review pages (application with its materials, completeness check), not a bare button.
    via_review: bool = False
    style: str = "primary"  # the button's colour: primary, success, danger, secondary
    confirm: Promise = field(default=_("Are you sure?"))


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "disclose",
        frozenset({State.LISTED}),
        State.DISCLOSED,
        APPLICANTS,
        _("Report information disclosed"),
        stamps=("disclosed_on",),
    ),
    Transition(
        "start_audit",
        frozenset({State.DISCLOSED}),
        State.AUDITING,
        APPLICANTS,
        _("Report audit started"),
        stamps=("audit_started_on",),
    ),
    Transition(
        "submit_report",
        frozenset({State.AUDITING}),
        State.REPORT_SUBMITTED,
        APPLICANTS,
        _("Submit the audit report"),
        stamps=("report_submitted_on",),
    ),
    Transition(
        "apply_evaluation",
        frozenset({State.REPORT_SUBMITTED}),
        State.EVALUATION_APPLIED,
        APPLICANTS,
        _("Apply for evaluation"),
        stamps=("evaluation_applied_on",),
        via_review=True,
    ),
    Transition(
        "accept_evaluation_application",
        frozenset({State.EVALUATION_APPLIED}),
        State.EVALUATING,
        BUREAU,
        _("Accept the application (受理)"),
        stamps=("evaluation_checked_on",),
        style="success",
        via_review=True,
    ),
    Transition(
        "refuse_evaluation_application",
        frozenset({State.EVALUATION_APPLIED}),
        State.AUDITING,
        BUREAU,
        _("Refuse the application (不予受理)"),
        stamps=("evaluation_checked_on",),
        needs_reason=True,
        style="danger",
        via_review=True,
    ),
    Transition(
        "pass_evaluation",
        frozenset({State.EVALUATING}),
        State.IMPLEMENTING,
        CONCLUDERS,
        _("Evaluation passed (通过)"),
        stamps=("evaluation_concluded_on", "evaluation_passed_on"),
        style="success",
        needs_conclusion=True,
        via_review=True,
    ),
    Transition(
        "fail_evaluation",
        frozenset({State.EVALUATING}),
        State.AUDITING,
        CONCLUDERS,
        _("Evaluation failed (不通过)"),
        stamps=("evaluation_concluded_on",),
        needs_reason=True,
        style="danger",
        needs_conclusion=True,
        via_review=True,
    ),
    Transition(
        "apply_acceptance",
        frozenset({State.IMPLEMENTING}),
        State.ACCEPTANCE_APPLIED,
        APPLICANTS,
        _("Apply for acceptance"),
        stamps=("acceptance_applied_on",),
        via_review=True,
    ),
    Transition(
        "accept_acceptance_application",
        frozenset({State.ACCEPTANCE_APPLIED}),
        State.ACCEPTING,
        BUREAU,
        _("Accept the application (受理)"),
        stamps=("acceptance_checked_on",),
        style="success",
        via_review=True,
    ),
    Transition(
        "refuse_acceptance_application",
        frozenset({State.ACCEPTANCE_APPLIED}),
        State.IMPLEMENTING,
        BUREAU,
        _("Refuse the application (不予受理)"),
        stamps=("acceptance_checked_on",),
        needs_reason=True,
        style="danger",
        via_review=True,
    ),
    Transition(
        "pass_acceptance",
        frozenset({State.ACCEPTING}),
        State.ACCEPTED,
        CONCLUDERS,
        _("Acceptance passed (合格)"),
        stamps=("acceptance_concluded_on", "accepted_on"),
        needs_level=True,
        style="success",
        needs_conclusion=True,
        via_review=True,
    ),
    Transition(
        "fail_acceptance",
        frozenset({State.ACCEPTING}),
        State.IMPLEMENTING,
        CONCLUDERS,
        _("Acceptance failed (不合格)"),
        stamps=("acceptance_concluded_on",),
        needs_reason=True,
        style="danger",
        needs_conclusion=True,
        via_review=True,
    ),
    Transition(
        "publish_result",
        frozenset({State.ACCEPTED}),
        State.PUBLISHED,
        RESULT_PUBLISHERS,
        _("Publish the result"),
        stamps=("result_published_on",),
        style="success",
    ),
    Transition(
        "withdraw",
        frozenset(set(State) - CLOSED_STATES),
        State.WITHDRAWN,
        BUREAU,
        _("Withdraw the case"),
        stamps=("withdrawn_on",),
        needs_reason=True,
        needs_document=True,
        style="secondary",
        confirm=_("Withdraw this case? It leaves the programme and cannot be reopened here."),
    ),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition_get(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]
