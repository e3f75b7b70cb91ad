"""The states of an audit case (design.md §3), with their internal and public labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    LISTED = "listed", _("Listed")
    DISCLOSED = "disclosed", _("Information disclosed")
    AUDITING = "auditing", _("Auditing")
    REPORT_SUBMITTED = "report_submitted", _("Audit report submitted")
    EVALUATION_APPLIED = "evaluation_applied", _("Evaluation applied for")
    EVALUATING = "evaluating", _("Under evaluation")
    IMPLEMENTING = "implementing", _("Implementing options")
    ACCEPTANCE_APPLIED = "acceptance_applied", _("Acceptance applied for")
    ACCEPTING = "accepting", _("Under acceptance review")
    ACCEPTED = "accepted", _("Accepted")
    PUBLISHED = "published", _("Result published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    # A member of a group audit (行业/园区/集群整体审核) that passed: its own round counts as done
    # (视同开展一次清洁生产审核, 环办科财函〔2023〕79号); set only by the group's pass (cases.groups).
    COUNTED_BY_GROUP = "counted_by_group", _("Counted by group audit")


# What the public site says for each state: coarser than the internal stages on purpose.
PUBLIC_LABELS = {
    State.LISTED: _("Listed for audit"),
    State.DISCLOSED: _("Auditing"),
    State.AUDITING: _("Auditing"),
    State.REPORT_SUBMITTED: _("Auditing"),
    State.EVALUATION_APPLIED: _("Evaluation"),
    State.EVALUATING: _("Evaluation"),
    State.IMPLEMENTING: _("Implementing"),
    State.ACCEPTANCE_APPLIED: _("Acceptance"),
    State.ACCEPTING: _("Acceptance"),
    State.ACCEPTED: _("Accepted"),
    State.PUBLISHED: _("Accepted and published"),
    State.WITHDRAWN: _("Withdrawn"),
    State.COUNTED_BY_GROUP: _("Counted by group audit"),
}

# States in which the case counts as finished for its deadlines.
CLOSED_STATES = {State.ACCEPTED, State.PUBLISHED, State.WITHDRAWN, State.COUNTED_BY_GROUP}


class Level(models.TextChoices):
    """清洁生产水平 reached at acceptance (清洁生产评价指标体系)."""

    I = "I", _("Level I (international leading)")  # noqa: E741
    II = "II", _("Level II (domestic advanced)")
    III = "III", _("Level III (domestic general)")


def level_label(value: str) -> str:
    """The one label of a level (Ⅰ级（国际清洁生产领先水平）) for pages, exports and documents alike;
    empty for none."""
    return str(Level(value).label) if value in Level.values else (value or "")
