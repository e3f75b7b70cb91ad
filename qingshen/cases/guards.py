"""What a transition requires, as functions named on its row of the lifecycle table (lifecycle.py).

Each guard takes the step about to be taken and refuses it (TransitionRefused) or lets it pass;
services.case_transition runs a row's guards in order inside its transaction, with the case row locked,
after the checks every step has (state, role, version, date). Guards that concern one record live with
that record's writes (the disclosure's in disclosures.py).
"""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from qingshen.cases.errors import TransitionRefused
from qingshen.cases.models import AuditCase, Document
from qingshen.cases.states import Level

if TYPE_CHECKING:  # the table names these guards, so it is imported by them only for the type
    from qingshen.cases.lifecycle import Transition


@dataclass
class Step:
    """One transition being taken: the locked case, who takes it, when, and what they sent with it."""

    case: AuditCase
    transition: "Transition"
    actor: object
    day: datetime.date
    reason: str = ""
    comment: str = ""
    level: str = ""
    document: Document | None = None
    # A confirmed review conclusion (reviews.models.Review, duck-typed: cases does not import reviews).
    conclusion: object = None
    # What a guard looked up, for an effect of the same row to use without reading it again.
    found: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(self.transition.label)


def reason_given(step: Step) -> None:
    if not step.reason:
        raise TransitionRefused(_("“%(action)s” needs a reason.") % {"action": step.label})


def document_attached(step: Step) -> None:
    """A supporting document of this case (stored by case_transition_with_upload)."""
    if step.document is None or step.document.case_id != step.case.pk:
        raise TransitionRefused(_("“%(action)s” needs a supporting document.") % {"action": step.label})


def conclusion_confirmed(step: Step) -> None:
    """The panel's conclusion of this case, confirmed by its chair, of the row's review kind and outcome:
    nobody passes or fails a case by hand."""
    kind, outcome = step.transition.review
    conclusion = step.conclusion
    if (
        conclusion is None
        or conclusion.case_id != step.case.pk
        or conclusion.confirmed_at is None
        or (conclusion.kind, conclusion.outcome) != (kind, outcome)
    ):
        raise TransitionRefused(
            _("“%(action)s” follows only from the panel's conclusion confirmed by its chair.")
            % {"action": step.label}
        )


def level_chosen(step: Step) -> None:
    if step.level not in Level.values:
        raise TransitionRefused(_("Choose the level the enterprise reached (I, II or III)."))
