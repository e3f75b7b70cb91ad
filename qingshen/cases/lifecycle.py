"""The lifecycle as data: one row per transition (design.md §3, §7).

Executed only by services.case_transition, which has no branch of its own per action. Each row: the
action, the states it leaves, the state it enters, the roles that may take it, its guards (what it
requires: a reason, a document, a level, the panel's conclusion, a complete disclosure; guards.py), what
it writes on the case (the step's date fields, and fields taken from what the step was sent), what else
it does in the same transaction (effects), and its button.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import Role
from qingshen.cases.disclosures import disclosure_complete, disclosure_publish
from qingshen.cases.groups import group_members_count, member_of_passed_group
from qingshen.cases.guards import Step, conclusion_confirmed, document_attached, level_chosen, reason_given
from qingshen.cases.models import Document
from qingshen.cases.states import CLOSED_STATES, State
from qingshen.cases.targets import focus_and_targets_entered

APPLICANTS = frozenset({Role.ENTERPRISE, Role.AGENCY})
BUREAU = frozenset({Role.CITY})
# The completeness check is the organiser's: the city or the district, as the city sets
# (reviews.organisers); reviews.scoping.may_organise_review says which bureau for a case, and these rows
# are taken only through the reviews (Transition.review).
REVIEW_ORGANISERS = frozenset({Role.CITY, Role.DISTRICT})
RESULT_PUBLISHERS = frozenset({Role.CITY, Role.PROVINCE})
# A conclusion is the panel's: its chair confirms the computed result (reviews.services); nobody passes or
# fails a case by hand.
CONCLUDERS = frozenset({Role.EXPERT})

# The review kinds (reviews.models.ReviewKind's values; cases sits below reviews and names them as data).
EVALUATION, ACCEPTANCE = "evaluation", "acceptance"


class Action(StrEnum):
    """A transition's name: what callers pass to case_transition, and the log's `case.transition.<name>`
    (old log rows keep their labels, so a name never changes)."""

    DISCLOSE = "disclose"
    START_AUDIT = "start_audit"
    SUBMIT_REPORT = "submit_report"
    APPLY_EVALUATION = "apply_evaluation"
    ACCEPT_EVALUATION_APPLICATION = "accept_evaluation_application"
    REFUSE_EVALUATION_APPLICATION = "refuse_evaluation_application"
    PASS_EVALUATION = "pass_evaluation"  # noqa: S105  (a verdict, not a password)
    FAIL_EVALUATION = "fail_evaluation"
    APPLY_ACCEPTANCE = "apply_acceptance"
    ACCEPT_ACCEPTANCE_APPLICATION = "accept_acceptance_application"
    REFUSE_ACCEPTANCE_APPLICATION = "refuse_acceptance_application"
    PASS_ACCEPTANCE = "pass_acceptance"  # noqa: S105  (a verdict, not a password)
    FAIL_ACCEPTANCE = "fail_acceptance"
    PUBLISH_RESULT = "publish_result"
    WITHDRAW = "withdraw"
    COUNT_BY_GROUP = "count_by_group"


class ReviewStep(StrEnum):
    """The steps the reviews take on a case; a conclusion's outcome (reviews.models.Review.Outcome) is
    `pass` or `fail`."""

    APPLY = "apply"
    ACCEPT = "accept"
    REFUSE = "refuse"
    PASS = "pass"  # noqa: S105  (a verdict, not a password)
    FAIL = "fail"


Guard = Callable[[Step], None]


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset
    target: str
    roles: frozenset
    label: Promise
    stamps: tuple[str, ...] = ()  # AuditCase date fields set to the step's date
    # AuditCase fields set from what the step was sent: (field, the Step attribute it takes).
    sets: tuple[tuple[str, str], ...] = ()
    # Checked in order after the checks every step has; the first to object refuses the step.
    guards: tuple[Guard, ...] = ()
    # Run once every guard has passed, before the case moves, in the same transaction.
    effects: tuple[Callable[[Step], object], ...] = ()
    # The type a supporting document sent with the step is stored as (case_transition_with_upload).
    document_kind: str = Document.Kind.OTHER
    # Taken only by the reviews (application with its materials, completeness check, the panel's
    # conclusion), never from a bare button: (review kind, step).
    review: tuple[str, ReviewStep] | None = None
    style: str = "primary"  # the button's colour: primary, success, danger, secondary
    confirm: Promise = field(default=_("Are you sure?"))

    # What the case page asks for with the button, read from the guards.
    @property
    def needs_reason(self) -> bool:
        return reason_given in self.guards

    @property
    def needs_document(self) -> bool:
        return document_attached in self.guards

    @property
    def needs_level(self) -> bool:
        return level_chosen in self.guards

    @property
    def needs_conclusion(self) -> bool:
        return conclusion_confirmed in self.guards

    @property
    def via_review(self) -> bool:
        return self.review is not None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Action.DISCLOSE,
        frozenset({State.LISTED}),
        State.DISCLOSED,
        APPLICANTS,
        _("Report information disclosed"),
        stamps=("disclosed_on",),
        # Art. 11: the step is the submission of a complete disclosure with its proof of publication.
        guards=(disclosure_complete,),
        effects=(disclosure_publish,),
    ),
    Transition(
        Action.START_AUDIT,
        frozenset({State.DISCLOSED}),
        State.AUDITING,
        APPLICANTS,
        _("Report audit started"),
        stamps=("audit_started_on",),
    ),
    Transition(
        Action.SUBMIT_REPORT,
        frozenset({State.AUDITING}),
        State.REPORT_SUBMITTED,
        APPLICANTS,
        _("Submit the audit report"),
        stamps=("report_submitted_on",),
        guards=(focus_and_targets_entered,),
    ),
    Transition(
        Action.APPLY_EVALUATION,
        frozenset({State.REPORT_SUBMITTED}),
        State.EVALUATION_APPLIED,
        APPLICANTS,
        _("Apply for evaluation"),
        stamps=("evaluation_applied_on",),
        review=(EVALUATION, ReviewStep.APPLY),
    ),
    Transition(
        Action.ACCEPT_EVALUATION_APPLICATION,
        frozenset({State.EVALUATION_APPLIED}),
        State.EVALUATING,
        REVIEW_ORGANISERS,
        _("Accept the application (受理)"),
        stamps=("evaluation_checked_on",),
        style="success",
        review=(EVALUATION, ReviewStep.ACCEPT),
    ),
    Transition(
        Action.REFUSE_EVALUATION_APPLICATION,
        frozenset({State.EVALUATION_APPLIED}),
        State.AUDITING,
        REVIEW_ORGANISERS,
        _("Refuse the application (不予受理)"),
        stamps=("evaluation_checked_on",),
        guards=(reason_given,),
        style="danger",
        review=(EVALUATION, ReviewStep.REFUSE),
    ),
    Transition(
        Action.PASS_EVALUATION,
        frozenset({State.EVALUATING}),
        State.IMPLEMENTING,
        CONCLUDERS,
        _("Evaluation passed (通过)"),
        stamps=("evaluation_concluded_on", "evaluation_passed_on"),
        guards=(conclusion_confirmed,),
        effects=(group_members_count,),
        style="success",
        review=(EVALUATION, ReviewStep.PASS),
    ),
    Transition(
        Action.FAIL_EVALUATION,
        frozenset({State.EVALUATING}),
        State.AUDITING,
        CONCLUDERS,
        _("Evaluation failed (不通过)"),
        stamps=("evaluation_concluded_on",),
        guards=(reason_given, conclusion_confirmed),
        style="danger",
        review=(EVALUATION, ReviewStep.FAIL),
    ),
    Transition(
        Action.APPLY_ACCEPTANCE,
        frozenset({State.IMPLEMENTING}),
        State.ACCEPTANCE_APPLIED,
        APPLICANTS,
        _("Apply for acceptance"),
        stamps=("acceptance_applied_on",),
        review=(ACCEPTANCE, ReviewStep.APPLY),
    ),
    Transition(
        Action.ACCEPT_ACCEPTANCE_APPLICATION,
        frozenset({State.ACCEPTANCE_APPLIED}),
        State.ACCEPTING,
        REVIEW_ORGANISERS,
        _("Accept the application (受理)"),
        stamps=("acceptance_checked_on",),
        style="success",
        review=(ACCEPTANCE, ReviewStep.ACCEPT),
    ),
    Transition(
        Action.REFUSE_ACCEPTANCE_APPLICATION,
        frozenset({State.ACCEPTANCE_APPLIED}),
        State.IMPLEMENTING,
        REVIEW_ORGANISERS,
        _("Refuse the application (不予受理)"),
        stamps=("acceptance_checked_on",),
        guards=(reason_given,),
        style="danger",
        review=(ACCEPTANCE, ReviewStep.REFUSE),
    ),
    Transition(
        Action.PASS_ACCEPTANCE,
        frozenset({State.ACCEPTING}),
        State.ACCEPTED,
        CONCLUDERS,
        _("Acceptance passed (合格)"),
        stamps=("acceptance_concluded_on", "accepted_on"),
        sets=(("level", "level"),),
        guards=(conclusion_confirmed, level_chosen),
        effects=(group_members_count,),
        style="success",
        review=(ACCEPTANCE, ReviewStep.PASS),
    ),
    Transition(
        Action.FAIL_ACCEPTANCE,
        frozenset({State.ACCEPTING}),
        State.IMPLEMENTING,
        CONCLUDERS,
        _("Acceptance failed (不合格)"),
        stamps=("acceptance_concluded_on",),
        guards=(reason_given, conclusion_confirmed),
        style="danger",
        review=(ACCEPTANCE, ReviewStep.FAIL),
    ),
    Transition(
        Action.PUBLISH_RESULT,
        frozenset({State.ACCEPTED}),
        State.PUBLISHED,
        RESULT_PUBLISHERS,
        _("Publish the result"),
        stamps=("result_published_on",),
        style="success",
    ),
    Transition(
        Action.WITHDRAW,
        frozenset(set(State) - CLOSED_STATES),
        State.WITHDRAWN,
        BUREAU,
        _("Withdraw the case"),
        stamps=("withdrawn_on",),
        sets=(("withdrawn_reason", "reason"),),
        guards=(reason_given, document_attached),
        document_kind=Document.Kind.WITHDRAWAL,
        style="secondary",
        confirm=_("Withdraw this case? It leaves the programme and cannot be reopened here."),
    ),
    # Taken by no one by hand: the pass of a group this case is a member of takes it (cases.groups), at
    # the stage the rule `group-members-counted-at` names.
    Transition(
        Action.COUNT_BY_GROUP,
        frozenset(set(State) - CLOSED_STATES),
        State.COUNTED_BY_GROUP,
        frozenset(),
        _("Counted by group audit"),
        stamps=("counted_by_group_on",),
        guards=(member_of_passed_group,),
        style="secondary",
    ),
)

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
BY_REVIEW_STEP: dict[tuple[str, str], Action] = {t.review: t.action for t in TRANSITIONS if t.review}


def transition_get(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]


def review_action(kind: str, step: ReviewStep) -> Action:
    """The action a review step takes on its case: (acceptance, refuse) → refuse_acceptance_application."""
    return BY_REVIEW_STEP[(kind, step)]
