"""The seven stages inside an audit (HJ 469 and the 办法, domain.md §6), derived from what the case holds.

Nothing is ticked by hand: each stage counts as done when the enterprise has filed what that stage
produces, and the steps the bureau has seen fix the floor (evaluation follows the fifth stage, acceptance
the sixth, domain.md §6). Pure: the facts are gathered by cases.selectors.stage_progress.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from qingshen.cases.states import State

STAGES = [
    ("organise", _("Planning and organisation (筹划与组织)")),
    ("pre_assessment", _("Pre-assessment (预评估)")),
    ("assessment", _("Assessment (评估)")),
    ("options", _("Options generated and screened (方案产生和筛选)")),
    ("feasibility", _("Feasibility analysis (可行性分析)")),
    ("implementation", _("Options implemented (方案实施)")),
    ("continuing", _("Continuing cleaner production (持续清洁生产)")),
]
# What shows a stage done, in the words of the page.
EVIDENCE = {
    "organise": _("the audit was started (team and capacity filed)"),
    "pre_assessment": _("the audit focus and at least one target entered"),
    "assessment": _("the baseline figures of the base year entered"),
    "options": _("at least one option entered"),
    "feasibility": _("at least one mid/high-cost option entered, or the report submitted"),
    "implementation": _("every mid/high-cost option implemented, or acceptance applied for"),
    "continuing": _("the acceptance passed"),
}
BEFORE_AUDIT = {State.LISTED, State.DISCLOSED}
# From the report on, the first five stages are behind (evaluation follows the fifth).
AFTER_FIFTH = {
    State.REPORT_SUBMITTED,
    State.EVALUATION_APPLIED,
    State.EVALUATING,
    State.IMPLEMENTING,
    State.ACCEPTANCE_APPLIED,
    State.ACCEPTING,
    State.ACCEPTED,
    State.PUBLISHED,
}
AFTER_SIXTH = {State.ACCEPTANCE_APPLIED, State.ACCEPTING, State.ACCEPTED, State.PUBLISHED}
ALL_DONE = {State.ACCEPTED, State.PUBLISHED}


@dataclass(frozen=True)
class StageFacts:
    state: str
    audit_started: bool = False  # the case left `disclosed` once (audit_started_on set)
    focus: bool = False
    targets: int = 0
    baselines: int = 0
    options: int = 0  # not dropped
    high_options: int = 0  # mid/high-cost, not dropped
    high_implemented: int = 0


@dataclass(frozen=True)
class Stage:
    number: int
    code: str
    label: str
    evidence: str
    done: bool
    current: bool


def stage_progress(facts: StageFacts) -> list[Stage]:
    """The seven stages, each done or not; the first one not done is the current one."""
    s = facts.state
    done = {
        "organise": facts.audit_started or (s not in BEFORE_AUDIT and s != State.WITHDRAWN),
        "pre_assessment": facts.focus and facts.targets > 0,
        "assessment": facts.baselines > 0,
        "options": facts.options > 0,
        "feasibility": facts.high_options > 0,
        "implementation": facts.high_options > 0 and facts.high_implemented == facts.high_options,
        "continuing": s in ALL_DONE,
    }
    for n, (code, _label) in enumerate(STAGES, start=1):
        if (s in AFTER_FIFTH and n <= 5) or (s in AFTER_SIXTH and n <= 6):
            done[code] = True
    first_open = next((code for code, _label in STAGES if not done[code]), None)
    return [
        Stage(n, code, str(label), str(EVIDENCE[code]), done[code], code == first_open)
        for n, (code, label) in enumerate(STAGES, start=1)
    ]
