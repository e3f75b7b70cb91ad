"""The annual disclosure of a listed enterprise (企业环境信息依法披露管理办法, 部令第24号, 第十四条): for each
year from its listing until its acceptance passed (rule `annual_disclosure_years_after_acceptance`), why it
was listed, how the audit went and the evaluation and acceptance results, due by the date the rules
`annual_disclosure_due_month` and `_day` give in the following year.

The texts are prefilled from the case as it stood at the end of the year; the enterprise (or its
delegated agency) edits them and submits; a submitted year is public and no longer editable.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingshen.cases import scoping
from qingshen.cases.annual_rules import DUE_DAY, DUE_MONTH, YEARS_AFTER_ACCEPTANCE
from qingshen.cases.errors import CaseNotFound, TransitionRefused
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AnnualDisclosure, AuditCase
from qingshen.cases.states import level_label
from qingshen.core.text import problem
from qingshen.procedures.rules import rules_by_code
from qingshen.trail.services import event_record

MAX_ITEM_LENGTH = 4000

# The items of Art. 14 as the form shows them; each is prefilled and each must be filled to submit.
ITEMS = (
    ("reason", gettext_lazy("Why the enterprise was listed for a mandatory audit")),
    ("progress", gettext_lazy("How the audit has gone")),
    ("evaluation", gettext_lazy("Evaluation result")),
    ("acceptance", gettext_lazy("Acceptance result")),
)

# The steps of a case with the date field that records each, in order: the progress of a year is the
# steps dated within it or before.
STEPS = (
    ("published_on", gettext_lazy("Listed (list published)")),
    ("disclosed_on", gettext_lazy("Enterprise information disclosed")),
    ("audit_started_on", gettext_lazy("Audit started")),
    ("report_submitted_on", gettext_lazy("Audit report submitted")),
    ("evaluation_applied_on", gettext_lazy("Applied for evaluation")),
    ("evaluation_passed_on", gettext_lazy("Evaluation passed")),
    ("acceptance_applied_on", gettext_lazy("Applied for acceptance")),
    ("accepted_on", gettext_lazy("Acceptance passed")),
    ("result_published_on", gettext_lazy("Result published")),
)
STEP_LABELS = dict(STEPS)


def _rules():
    rules = rules_by_code([DUE_MONTH, DUE_DAY, YEARS_AFTER_ACCEPTANCE])
    return (
        rules[DUE_MONTH].amount if DUE_MONTH in rules else 3,
        rules[DUE_DAY].amount if DUE_DAY in rules else 15,
        rules[YEARS_AFTER_ACCEPTANCE].amount if YEARS_AFTER_ACCEPTANCE in rules else 0,
    )


def disclosure_years(case: AuditCase, today: datetime.date | None = None) -> list[int]:
    """The years the case must be disclosed for, oldest first: from the list's publication to the year
    its acceptance passed (plus the rule's years), the year of withdrawal, or this year."""
    if case.kind != CaseKind.MANDATORY:
        return []  # Art. 14 binds the enterprises on a mandatory-audit list (not a group's lead)
    today = today or timezone.localdate()
    _m, _d, after = _rules()
    last = today.year
    if case.accepted_on:
        last = min(last, case.accepted_on.year + after)
    if case.withdrawn_on:
        last = min(last, case.withdrawn_on.year)
    return list(range(case.published_on.year, last + 1))


def due_on(year: int) -> datetime.date | None:
    """The day the disclosure of `year` is due (in the next year), or None if the rules give no real day."""
    month, day, _a = _rules()
    try:
        return datetime.date(year + 1, month, day)
    except ValueError:
        return None


def annual_facts(case: AuditCase, year: int) -> dict:
    """The case as it stood on 31 December of `year`: grounds, the steps taken with their dates, the
    evaluation's and acceptance's conclusions and the level reached. Plain data, kept with the text."""
    end = datetime.date(year, 12, 31)

    def by_end(field):
        day = getattr(case, field)
        return day.isoformat() if day and day <= end else ""

    steps = [[field, by_end(field)] for field, _l in STEPS if by_end(field)]
    accepted = by_end("accepted_on")
    return {
        "grounds": list(case.listing.grounds),
        "other_reason": case.listing.other_reason,
        "steps": steps,
        "evaluation_concluded_on": by_end("evaluation_concluded_on"),
        "evaluation_passed_on": by_end("evaluation_passed_on"),
        "acceptance_concluded_on": by_end("acceptance_concluded_on"),
        "accepted_on": accepted,
        "level": case.level if accepted else "",
    }


def annual_prefill(case: AuditCase, year: int) -> dict:
    """The form's first text of each item, written from `annual_facts`."""
    facts = annual_facts(case, year)
    reason = _("Listed on %(day)s on the grounds of Art. 8 of the 清洁生产审核办法: %(grounds)s.") % {
        "day": case.published_on.isoformat(),
        "grounds": "、".join(str(g) for g in case.listing.grounds_display()) or "—",
    }
    if facts["other_reason"]:
        reason += " " + facts["other_reason"]
    progress = "；".join(f"{day} {STEP_LABELS[field]}" for field, day in facts["steps"]) or "—"
    if facts["evaluation_passed_on"]:
        evaluation = _("Passed on %(day)s.") % {"day": facts["evaluation_passed_on"]}
    elif facts["evaluation_concluded_on"]:
        evaluation = _("Concluded on %(day)s: not passed; the audit is being revised.") % {
            "day": facts["evaluation_concluded_on"]
        }
    else:
        evaluation = _("Not yet held by the end of the year.")
    if facts["accepted_on"]:
        acceptance = _("Passed on %(day)s; level reached: %(level)s.") % {
            "day": facts["accepted_on"],
            "level": level_label(facts["level"]) or "—",
        }
    elif facts["acceptance_concluded_on"]:
        acceptance = _("Concluded on %(day)s: not passed; the options are being completed.") % {
            "day": facts["acceptance_concluded_on"]
        }
    else:
        acceptance = _("Not yet held by the end of the year.")
    return {"reason": reason, "progress": progress, "evaluation": evaluation, "acceptance": acceptance}


def _clean(content: dict, *, submit: bool) -> dict:
    cleaned, problems = {}, []
    for key, label in ITEMS:
        value = str(content.get(key, "") or "").strip()
        if len(value) > MAX_ITEM_LENGTH:
            problems.append(
                _("“%(item)s” is longer than %(n)s characters.") % {"item": label, "n": MAX_ITEM_LENGTH}
            )
        wrong = problem(value, multiline=True, bidi=True)
        if wrong:
            problems.append(f"{label}：{wrong}")
        if submit and not value:
            problems.append(_("Fill in “%(item)s” before submitting.") % {"item": label})
        cleaned[key] = value
    if problems:
        raise TransitionRefused("；".join(problems))
    return cleaned


def annual_disclosure_save(
    *, case: AuditCase, year: int, actor, content: dict, submit: bool = False, today=None
) -> AnnualDisclosure:
    """Save the year's text (and submit it, which publishes it). Refused, with nothing changed, for a
    year the case does not disclose, a submitted year, or text that is too long, empty or unprintable."""
    if not scoping.may_edit_case_materials(actor, case):
        raise CaseNotFound()
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = AuditCase.objects.select_for_update(of=("self",)).select_related("listing").get(pk=case.pk)
        if year not in disclosure_years(locked, today):
            raise TransitionRefused(
                _("The case has no annual disclosure for %(year)s: it discloses the years %(years)s.")
                % {"year": year, "years": "、".join(str(y) for y in disclosure_years(locked, today)) or "—"}
            )
        record = AnnualDisclosure.objects.select_for_update().filter(case=locked, year=year).first()
        if record is not None and record.status == AnnualDisclosure.Status.SUBMITTED:
            raise TransitionRefused(
                _("The disclosure of this year is submitted and published; it can no longer be changed.")
            )
        cleaned = _clean(content, submit=submit)
        before = None if record is None else {"content": record.content, "status": record.status}
        if record is None:
            record = AnnualDisclosure(case=locked, year=year)
        record.content = cleaned
        record.facts = annual_facts(locked, year)
        record.updated_by = actor
        if submit:
            record.status = AnnualDisclosure.Status.SUBMITTED
            record.submitted_on = today
            record.submitted_by = actor
        record.save()
        event_record(
            action="annual_disclosure.submit" if submit else "annual_disclosure.save",
            actor=actor,
            obj=record,
            before=before,
            after={"case": locked.pk, "year": year, "content": cleaned, "status": record.status},
        )
        return record
